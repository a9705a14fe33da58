import { z } from 'zod';

export const doNotCallEntrySchema = z.object({
  id: z.number().int(),
  number: z.string(),
  reason: z.string().nullable(),
  createdAt: z.number(),
});
export type DoNotCallEntry = z.infer<typeof doNotCallEntrySchema>;

/** `POST /api/do-not-call`: one number, in any format the default country reads. */
export const doNotCallCreateSchema = z
  .object({
    number: z
      .string({ error: 'Enter the number' })
      .trim()
      .min(1, 'Enter the number')
      .max(40, 'The number is too long'),
    reason: z
      .string()
      .trim()
      .max(200, 'The reason is at most 200 characters')
      .nullish()
      .transform((v) => v || null),
  })
  .strict();
export type DoNotCallCreateRequest = z.input<typeof doNotCallCreateSchema>;

export const doNotCallListQuerySchema = z.object({
  search: z.string().trim().max(40).optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const doNotCallListResponseSchema = z.object({
  entries: z.array(doNotCallEntrySchema),
  total: z.number().int(),
});
export type DoNotCallListResponse = z.infer<typeof doNotCallListResponseSchema>;

/** A CSV import: the file's first column (or a `number` column) holds numbers, an optional `reason`. */
export const doNotCallImportResponseSchema = z.object({
  added: z.number().int(),
  alreadyListed: z.number().int(),
});
export type DoNotCallImportResponse = z.infer<typeof doNotCallImportResponseSchema>;
