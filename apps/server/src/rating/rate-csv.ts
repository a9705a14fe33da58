import {
  formatEffectiveFrom,
  formatMicros,
  parseEffectiveFrom,
  parseMicros,
  type RateImportRowError,
} from '@switchboard/shared';
import { parse } from 'csv-parse/sync';
import type { CsvValue } from '../csv/csv-response';

/** A rate as a CSV row carries it, validated. */
export interface CsvRate {
  line: number;
  prefix: string;
  description: string | null;
  pricePerMinuteMicros: number;
  connectFeeMicros: number;
  initialIncrementS: number;
  incrementS: number;
  effectiveFrom: number;
}

export type RateCsvResult =
  | { ok: true; delimiter: ',' | ';'; rates: CsvRate[] }
  | { ok: false; delimiter: ',' | ';'; errors: RateImportRowError[]; errorCount: number };

type Field = Exclude<keyof CsvRate, 'line'>;

/** Header names (lower case, letters only) each column is recognised by. */
const aliases: Record<string, Field> = {
  prefix: 'prefix',
  code: 'prefix',
  dialcode: 'prefix',
  destinationprefix: 'prefix',
  description: 'description',
  destination: 'description',
  name: 'description',
  rateperminute: 'pricePerMinuteMicros',
  priceperminute: 'pricePerMinuteMicros',
  rate: 'pricePerMinuteMicros',
  price: 'pricePerMinuteMicros',
  perminute: 'pricePerMinuteMicros',
  connectfee: 'connectFeeMicros',
  connectionfee: 'connectFeeMicros',
  setupfee: 'connectFeeMicros',
  initialincrement: 'initialIncrementS',
  initialincrements: 'initialIncrementS',
  firstincrement: 'initialIncrementS',
  firstincrements: 'initialIncrementS',
  increment: 'incrementS',
  increments: 'incrementS',
  nextincrement: 'incrementS',
  nextincrements: 'incrementS',
  effectivefrom: 'effectiveFrom',
  effectivedate: 'effectiveFrom',
  effective: 'effectiveFrom',
};

const headerLabel: Record<Field, string> = {
  prefix: 'prefix',
  description: 'description',
  pricePerMinuteMicros: 'rate_per_minute',
  connectFeeMicros: 'connect_fee',
  initialIncrementS: 'initial_increment_s',
  incrementS: 'increment_s',
  effectiveFrom: 'effective_from',
};

export const rateCsvHeader = Object.values(headerLabel);
export const MAX_IMPORT_ROWS = 200_000;
const MAX_REPORTED_ERRORS = 200;

/**
 * The delimiter is decided once per file, from its header line: whichever of `;` and `,` occurs more
 * often outside quotes (`,` when neither does). A `;` file may write decimals with a comma.
 */
export function detectDelimiter(text: string): ',' | ';' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (semicolons + commas > 0) break;
    } else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return semicolons > commas ? ';' : ',';
}

type CsvRecordWithLine = { record: string[]; info: { lines: number } };
type Delimiter = ',' | ';';

/** Every problem of a file, counted, the first MAX_REPORTED_ERRORS kept to report. */
class Problems {
  readonly errors: RateImportRowError[] = [];
  count = 0;
  constructor(readonly delimiter: Delimiter) {}
  add(line: number, field: string | null, message: string): void {
    this.count++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ line, field, message });
  }
  refusal(): RateCsvResult {
    return { ok: false, delimiter: this.delimiter, errors: this.errors, errorCount: this.count };
  }
}

/** The file's records, each with the line it ends on; null (and a problem) when it is not CSV. */
function readRecords(text: string, problems: Problems): CsvRecordWithLine[] | null {
  try {
    return parse(text, {
      delimiter: problems.delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
    }) as unknown as CsvRecordWithLine[];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    problems.add(e.lines ?? 1, null, `The file is not valid CSV: ${e.message ?? 'unreadable'}`);
    return null;
  }
}

/** What each column of the header means; unknown, missing and repeated columns are problems. */
function readHeader(header: CsvRecordWithLine, problems: Problems): (Field | null)[] {
  const line = header.info.lines;
  const columns: (Field | null)[] = header.record.map(
    (name) => aliases[name.toLowerCase().replace(/[^a-z]/g, '')] ?? null,
  );
  header.record.forEach((name, i) => {
    if (columns[i] === null && name !== '') problems.add(line, name, `Unknown column "${name}"`);
  });
  for (const required of ['prefix', 'pricePerMinuteMicros'] as const) {
    if (!columns.includes(required))
      problems.add(line, headerLabel[required], `The file has no ${headerLabel[required]} column`);
  }
  const seen = new Set<Field>();
  columns.forEach((f) => {
    if (f && seen.has(f)) problems.add(line, headerLabel[f], `Two columns mean ${headerLabel[f]}`);
    if (f) seen.add(f);
  });
  return columns;
}

/** One data row as a rate, or null when any of its fields is a problem (each is reported). */
function readRate(
  { record, info }: CsvRecordWithLine,
  columns: (Field | null)[],
  problems: Problems,
): Omit<CsvRate, 'line'> | null {
  const line = info.lines;
  if (record.length > columns.length) {
    problems.add(line, null, `${record.length} fields, the header has ${columns.length}`);
    return null;
  }
  const cell = (f: Field) => {
    const i = columns.indexOf(f);
    return i < 0 ? '' : (record[i] ?? '');
  };
  let bad = false;
  const rowFail = (f: Field, message: string) => {
    problems.add(line, headerLabel[f], message);
    bad = true;
  };
  const prefix = cell('prefix').replace(/^\+/, '');
  if (!/^[0-9]{1,15}$/.test(prefix))
    rowFail('prefix', `"${cell('prefix')}" is not a prefix (1 to 15 digits)`);
  const decimal = (v: string) => (problems.delimiter === ';' ? v.replace(',', '.') : v);
  const money = (f: 'pricePerMinuteMicros' | 'connectFeeMicros', fallback: number) => {
    const raw = cell(f);
    if (raw === '') {
      if (f === 'pricePerMinuteMicros') rowFail(f, 'A rate per minute is required');
      return fallback;
    }
    const parsed = parseMicros(decimal(raw));
    if (!parsed.ok) {
      rowFail(f, `"${raw}": ${parsed.message}`);
      return fallback;
    }
    return parsed.value;
  };
  const seconds = (f: 'initialIncrementS' | 'incrementS') => {
    const raw = cell(f);
    if (raw === '') return 60;
    if (!/^[0-9]{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 3600) {
      rowFail(f, `"${raw}" is not a number of seconds from 1 to 3600`);
      return 60;
    }
    return Number(raw);
  };
  const pricePerMinuteMicros = money('pricePerMinuteMicros', 0);
  const connectFeeMicros = money('connectFeeMicros', 0);
  const initialIncrementS = seconds('initialIncrementS');
  const incrementS = seconds('incrementS');
  const effectiveFrom = parseEffectiveFrom(cell('effectiveFrom'));
  if (effectiveFrom === null) {
    rowFail(
      'effectiveFrom',
      `"${cell('effectiveFrom')}" is not a date (use 2026-01-01 or an ISO date and time)`,
    );
  }
  let description: string | null = cell('description') || null;
  if (description && /^'[=+\-@]/.test(description)) description = description.slice(1);
  if (description && description.length > 200) rowFail('description', 'At most 200 characters');
  if (bad) return null;
  return {
    prefix,
    description,
    pricePerMinuteMicros,
    connectFeeMicros,
    initialIncrementS,
    incrementS,
    effectiveFrom: effectiveFrom!,
  };
}

/**
 * Parses and validates a whole rate file. Every problem is reported with its line (the header is
 * line 1), and any problem means no rate at all: the caller imports all rows or none.
 */
export function parseRateCsv(text: string): RateCsvResult {
  const problems = new Problems(detectDelimiter(text));
  const records = readRecords(text, problems);
  if (!records) return problems.refusal();
  const header = records[0];
  if (!header) {
    problems.add(
      1,
      null,
      `The file is empty: expected a header line (${rateCsvHeader.join(problems.delimiter)})`,
    );
    return problems.refusal();
  }
  const columns = readHeader(header, problems);
  if (problems.count > 0) return problems.refusal();
  if (records.length - 1 > MAX_IMPORT_ROWS) {
    problems.add(1, null, `At most ${MAX_IMPORT_ROWS} rates per file (this one has ${records.length - 1})`);
    return problems.refusal();
  }
  const rates: CsvRate[] = [];
  const keys = new Map<string, number>();
  for (const record of records.slice(1)) {
    const rate = readRate(record, columns, problems);
    if (!rate) continue;
    const line = record.info.lines;
    const key = `${rate.prefix}@${rate.effectiveFrom}`;
    const first = keys.get(key);
    if (first !== undefined) {
      problems.add(
        line,
        'prefix',
        `Prefix ${rate.prefix} with the same effective date is already on line ${first}`,
      );
      continue;
    }
    keys.set(key, line);
    rates.push({ line, ...rate });
  }
  if (problems.count > 0) return problems.refusal();
  return { ok: true, delimiter: problems.delimiter, rates };
}

/** Export fields with a `;` are quoted too, so a spreadsheet that splits lists on `;` keeps them whole. */
export const rateCsvAlsoQuoted = /;/;

/**
 * A rate as a row of the export, in the header's order; the shared CSV writer quotes it and defuses
 * a description a spreadsheet would run as a formula, and import reads the file back unchanged.
 */
export function rateCsvRow(r: Omit<CsvRate, 'line'>): CsvValue[] {
  return [
    r.prefix,
    r.description,
    formatMicros(r.pricePerMinuteMicros),
    formatMicros(r.connectFeeMicros),
    r.initialIncrementS,
    r.incrementS,
    formatEffectiveFrom(r.effectiveFrom),
  ];
}
