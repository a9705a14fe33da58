import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';

export const csvDelimiters = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof csvDelimiters)[number];

/** One record of a file, with the line it ends on (quoted fields may span lines; the header is line 1). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export interface CsvTable {
  delimiter: CsvDelimiter;
  /** Every non-blank record, the header first when the file has one. */
  records: CsvRecord[];
}

/** A file that is not CSV at all: an unclosed quote, a stray quote inside a quoted field. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const BOM = '\ufeff';

/** Undoes the apostrophe our exports put before a cell a spreadsheet would run as a formula. */
function unguardCell(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
// The parser is fed in small pieces and yields to the event loop whenever a turn's budget is spent,
// so a 50,000-row file never holds SIP and HTTP for long (a cold parser is slow on its first pieces).
const PIECE_CHARS = 4 * 1024;
const TURN_BUDGET_MS = 8;

/**
 * Decides the file's one delimiter: Excel's `sep=;` first line when present, otherwise whichever of
 * `,` `;` and tab occurs most often outside quotes on the first non-blank line (`,` on a tie), so a
 * comma inside a quoted note of a semicolon file stays in its field.
 */
export function detectDelimiter(text: string): { delimiter: CsvDelimiter; hintLine: boolean } {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const hint = /^sep=(.)\r?\n/i.exec(src);
  if (hint && (csvDelimiters as readonly string[]).includes(hint[1]!))
    return { delimiter: hint[1] as CsvDelimiter, hintLine: true };
  const counts = new Map<CsvDelimiter, number>(csvDelimiters.map((d) => [d, 0]));
  let quoted = false;
  let seen = false;
  for (const ch of src) {
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch === '\n' || ch === '\r') {
      if (seen) break;
    } else {
      seen = seen || ch.trim() !== '';
      const n = counts.get(ch as CsvDelimiter);
      if (n !== undefined) counts.set(ch as CsvDelimiter, n + 1);
    }
  }
  let best: CsvDelimiter = ',';
  for (const d of csvDelimiters) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return { delimiter: best, hintLine: false };
}

/**
 * Reads a CSV file as RFC 4180 describes it and as Excel writes it: one delimiter per file (given,
 * or detected), quoted fields with doubled quotes and line breaks, a BOM, CRLF or LF, a `sep=` hint
 * line, rows of uneven length, blank lines skipped. Throws CsvError for a file that cannot be read.
 */
export async function readCsv(
  text: string,
  options: { delimiter?: CsvDelimiter; maxRecords?: number } = {},
): Promise<CsvTable> {
  const detected = detectDelimiter(text);
  const delimiter = options.delimiter ?? detected.delimiter;
  const parser = parse({
    delimiter,
    bom: true,
    from_line: detected.hintLine ? 2 : 1,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    relax_column_count: true,
    relax_quotes: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    info: true,
  });
  const records: CsvRecord[] = [];
  let failure: CsvError | null = null;
  parser.on('data', (r: { record: string[]; info: { lines: number } }) => {
    if (options.maxRecords !== undefined && records.length >= options.maxRecords) {
      failure ??= new CsvError(r.info.lines, `The file has more than ${options.maxRecords} lines`);
      return;
    }
    records.push({ line: r.info.lines, cells: r.record.map(unguardCell) });
  });
  parser.on('error', (err: Error & { lines?: number }) => {
    failure ??= new CsvError(err.lines ?? 1, `The file is not valid CSV: ${err.message}`);
  });
  let turnStart = performance.now();
  for (let at = 0; at < text.length && !failure; at += PIECE_CHARS) {
    parser.write(text.slice(at, at + PIECE_CHARS));
    if (performance.now() - turnStart >= TURN_BUDGET_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turnStart = performance.now();
    }
  }
  parser.end();
  await finished(parser).catch(() => undefined);
  if (failure) throw failure;
  return { delimiter, records };
}
