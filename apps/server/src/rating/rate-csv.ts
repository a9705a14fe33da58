import {
  formatEffectiveFrom,
  formatMicros,
  parseEffectiveFrom,
  parseMicros,
  type RateImportRowError,
} from '@switchboard/shared';
import { parse } from 'csv-parse/sync';

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

/**
 * Parses and validates a whole rate file. Every problem is reported with its line (the header is
 * line 1), and any problem means no rate at all: the caller imports all rows or none.
 */
export function parseRateCsv(text: string): RateCsvResult {
  const delimiter = detectDelimiter(text);
  const errors: RateImportRowError[] = [];
  let errorCount = 0;
  const fail = (line: number, field: string | null, message: string) => {
    errorCount++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push({ line, field, message });
  };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    fail(e.lines ?? 1, null, `The file is not valid CSV: ${e.message ?? 'unreadable'}`);
    return { ok: false, delimiter, errors, errorCount };
  }
  const header = records[0];
  if (!header) {
    fail(1, null, `The file is empty: expected a header line (${rateCsvHeader.join(delimiter)})`);
    return { ok: false, delimiter, errors, errorCount };
  }
  const columns: (Field | null)[] = header.record.map(
    (name) => aliases[name.toLowerCase().replace(/[^a-z]/g, '')] ?? null,
  );
  header.record.forEach((name, i) => {
    if (columns[i] === null && name !== '') fail(header.info.lines, name, `Unknown column "${name}"`);
  });
  for (const required of ['prefix', 'pricePerMinuteMicros'] as const) {
    if (!columns.includes(required))
      fail(header.info.lines, headerLabel[required], `The file has no ${headerLabel[required]} column`);
  }
  const seen = new Set<Field>();
  columns.forEach((f) => {
    if (f && seen.has(f)) fail(header.info.lines, headerLabel[f], `Two columns mean ${headerLabel[f]}`);
    if (f) seen.add(f);
  });
  if (errorCount > 0) return { ok: false, delimiter, errors, errorCount };
  if (records.length - 1 > MAX_IMPORT_ROWS) {
    fail(1, null, `At most ${MAX_IMPORT_ROWS} rates per file (this one has ${records.length - 1})`);
    return { ok: false, delimiter, errors, errorCount };
  }

  const rates: CsvRate[] = [];
  const keys = new Map<string, number>();
  const decimal = (v: string) => (delimiter === ';' ? v.replace(',', '.') : v);
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (record.length > columns.length) {
      fail(line, null, `${record.length} fields, the header has ${columns.length}`);
      continue;
    }
    const cell = (f: Field) => {
      const i = columns.indexOf(f);
      return i < 0 ? '' : (record[i] ?? '');
    };
    let bad = false;
    const rowFail = (f: Field, message: string) => {
      fail(line, headerLabel[f], message);
      bad = true;
    };
    const prefix = cell('prefix').replace(/^\+/, '');
    if (!/^[0-9]{1,15}$/.test(prefix))
      rowFail('prefix', `"${cell('prefix')}" is not a prefix (1 to 15 digits)`);
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
    if (bad) continue;
    const key = `${prefix}@${effectiveFrom}`;
    const first = keys.get(key);
    if (first !== undefined) {
      fail(line, 'prefix', `Prefix ${prefix} with the same effective date is already on line ${first}`);
      continue;
    }
    keys.set(key, line);
    rates.push({
      line,
      prefix,
      description,
      pricePerMinuteMicros,
      connectFeeMicros,
      initialIncrementS,
      incrementS,
      effectiveFrom: effectiveFrom!,
    });
  }
  if (errorCount > 0) return { ok: false, delimiter, errors, errorCount };
  return { ok: true, delimiter, rates };
}

/** One CSV field: quoted when needed; text a spreadsheet would run as a formula is defused. */
function csvField(value: string | number | null, freeText = false): string {
  if (value === null) return '';
  let s = String(value);
  if (freeText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A rate table as CSV (comma-separated, the header import reads back). */
export function rateCsvLine(r: Omit<CsvRate, 'line'>): string {
  return [
    csvField(r.prefix),
    csvField(r.description, true),
    csvField(formatMicros(r.pricePerMinuteMicros)),
    csvField(formatMicros(r.connectFeeMicros)),
    csvField(r.initialIncrementS),
    csvField(r.incrementS),
    csvField(formatEffectiveFrom(r.effectiveFrom)),
  ].join(',');
}
