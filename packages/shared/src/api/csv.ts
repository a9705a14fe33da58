import { z } from 'zod';

/** A CSV file's one delimiter, when the uploader chooses it (the server detects it otherwise). */
export const csvDelimiterSchema = z.enum([',', ';', '\t'], {
  error: 'The delimiter is one of comma, semicolon or tab',
});
export type CsvDelimiterChoice = z.infer<typeof csvDelimiterSchema>;
