import { type DialTaskImportRowError, parseDateTime } from '@switchboard/shared';
import { type CsvDelimiter, CsvError, readCsv } from '../csv/read-csv';
import { ApiError } from '../http/api-error';
import { parseDateField } from '../http/date-input';
import { type Problem, RowProblem, type TaskValues } from './dial-task-store';

export type ImportColumn = 'number' | 'customer' | 'agent' | 'start' | 'end' | 'note';

const aliases: Record<string, ImportColumn> = {
  number: 'number',
  phone: 'number',
  phone_number: 'number',
  customer: 'customer',
  customer_id: 'customer',
  customerid: 'customer',
  agent: 'agent',
  agent_id: 'agent',
  agentid: 'agent',
  username: 'agent',
  assignee: 'agent',
  start: 'start',
  start_date: 'start',
  startdate: 'start',
  start_at: 'start',
  end: 'end',
  end_date: 'end',
  enddate: 'end',
  end_at: 'end',
  note: 'note',
  notes: 'note',
};

/** Maps a header row to columns; unknown or duplicate headings and missing required ones are errors. */
export function mapHeader(header: string[]): { columns: (ImportColumn | null)[]; errors: string[] } {
  const errors: string[] = [];
  const seen = new Set<ImportColumn>();
  const columns = header.map((h) => {
    const key = h
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    const col = aliases[key] ?? null;
    if (!col) {
      if (key) errors.push(`Unknown column "${h.trim()}"`);
      return null;
    }
    if (seen.has(col)) errors.push(`Column "${h.trim()}" appears twice`);
    seen.add(col);
    return col;
  });
  for (const need of ['agent', 'start', 'end'] as const) {
    if (!seen.has(need)) errors.push(`The header has no "${need}" column`);
  }
  if (!seen.has('number') && !seen.has('customer'))
    errors.push('The header needs a "number" or "customer_id" column');
  return { columns, errors };
}

/** What an import looks up while it checks rows: the agent a row names, the customer or number it dials. */
export interface DialTaskImportLookups {
  findAgent(ref: string, field: string): Promise<number>;
  resolveTarget(input: {
    customerId: number | null;
    number: string;
  }): Promise<{ customer_id: number | null; number: string }>;
}

export type DialTaskImport =
  | { ok: true; rows: TaskValues[] }
  | { ok: false; message: string; errors: DialTaskImportRowError[]; rowCount: number };

/** Reads an end time; a date alone means the end of that day. */
export function parseEnd(field: string, text: string, zone: string): number {
  const parsed = parseDateField(field, text, zone);
  if (!parsed.dateOnly) return parsed.utcMs;
  return parseDateTime(`${text.trim()}T23:59:59`, zone)!.utcMs + 999;
}

/** A RowProblem or a field error from date parsing, as the row's problem; anything else is a fault. */
async function attempt<T>(problems: Problem[], fn: () => Promise<T> | T): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RowProblem) problems.push(err.problem);
    else if (err instanceof ApiError && err.details) {
      const f = (err.details as { fields?: Problem[] }).fields?.[0];
      if (!f) throw err;
      problems.push(f);
    } else throw err;
    return null;
  }
}

type ImportOptions = {
  timeZone: string;
  maxRows: number;
  delimiter?: CsvDelimiter;
  lookups: DialTaskImportLookups;
  between?: (done: number, total: number) => Promise<void>;
};

type CsvLine = { line: number; cells: string[] };

const fail = (message: string, errors: DialTaskImportRowError[], rowCount = 0): DialTaskImport => ({
  ok: false,
  message: `csv: ${message}`,
  errors,
  rowCount,
});

/** The file's header mapped to columns and its data lines, or why the file as a whole is refused. */
async function readFileShape(
  csv: string,
  options: ImportOptions,
): Promise<DialTaskImport | { columns: (ImportColumn | null)[]; lines: CsvLine[] }> {
  let records: CsvLine[];
  try {
    ({ records } = await readCsv(csv, { delimiter: options.delimiter }));
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    return fail(err.message, [{ line: err.line, field: 'csv', message: err.message }]);
  }
  const [header, ...lines] = records;
  if (!header)
    return fail('The first line must be a header', [
      { line: 1, field: 'header', message: 'The first line must be a header' },
    ]);
  const mapped = mapHeader(header.cells);
  if (mapped.errors.length)
    return fail(
      mapped.errors[0]!,
      mapped.errors.map((m) => ({ line: 1, field: 'header', message: m })),
    );
  if (lines.length === 0)
    return fail('The file has a header but no rows', [
      { line: 2, field: 'csv', message: 'No rows to import' },
    ]);

  if (lines.length > options.maxRows) {
    const message = `At most ${options.maxRows} rows per import`;
    return fail(message, [{ line: 0, field: 'csv', message }], lines.length);
  }
  return { columns: mapped.columns, lines };
}

/** The customer or number a row dials; a customer ID that is not a number is the row's problem. */
async function readTarget(
  get: (col: ImportColumn) => string,
  problems: Problem[],
  lookups: DialTaskImportLookups,
): Promise<{ customer_id: number | null; number: string } | null> {
  const customerText = get('customer');
  let customerId: number | null = null;
  if (customerText) {
    if (!/^\d+$/.test(customerText))
      problems.push({ field: 'customer_id', message: `"${customerText}" is not a customer ID` });
    else customerId = Number(customerText);
  }
  if (problems.length) return null;
  return attempt(problems, async () => {
    try {
      return await lookups.resolveTarget({ customerId, number: get('number') });
    } catch (err) {
      if (err instanceof RowProblem && err.problem.field === 'customerId')
        throw new RowProblem({ field: 'customer_id', message: err.problem.message });
      throw err;
    }
  });
}

/** One data row as a task, or its problems (every one found, not only the first). */
async function readTaskRow(
  cells: string[],
  columns: (ImportColumn | null)[],
  options: ImportOptions,
): Promise<{ row: TaskValues } | { problems: Problem[] }> {
  const get = (col: ImportColumn) => {
    const i = columns.indexOf(col);
    return i < 0 ? '' : (cells[i] ?? '').trim();
  };
  const problems: Problem[] = [];
  const target = await readTarget(get, problems, options.lookups);
  const required = async <T>(
    column: 'agent' | 'start' | 'end',
    missing: string,
    read: (text: string) => Promise<T> | T,
  ): Promise<T | null> => {
    const text = get(column);
    if (text) return attempt(problems, () => read(text));
    problems.push({ field: column, message: missing });
    return null;
  };
  const zone = options.timeZone;
  const assigned = await required('agent', 'Enter the agent (name or agent ID)', (t) =>
    options.lookups.findAgent(t, 'agent'),
  );
  const start = await required(
    'start',
    'Enter the start date',
    (t) => parseDateField('start', t, zone).utcMs,
  );
  const end = await required('end', 'Enter the end date', (t) => parseEnd('end', t, zone));
  if (start !== null && end !== null && end < start)
    problems.push({ field: 'end', message: 'The end date is before the start date' });
  const note = get('note');
  if (note.length > 2000) problems.push({ field: 'note', message: 'The note is at most 2000 characters' });
  if (problems.length) return { problems };
  return {
    row: { ...target!, assigned_user_id: assigned!, start_at: start!, end_at: end!, note: note || null },
  };
}

/**
 * Checks a dial-task CSV file row by row (header on line 1; see docs/dialer.md for the columns) and
 * answers every task it asks for, or every problem with its line: a file with any bad row imports
 * nothing. `between` is awaited before each row so a long file can yield and report progress.
 */
export async function readDialTaskImport(csv: string, options: ImportOptions): Promise<DialTaskImport> {
  const shape = await readFileShape(csv, options);
  if ('ok' in shape) return shape;
  const { columns, lines } = shape;
  const errors: DialTaskImportRowError[] = [];
  const rows: TaskValues[] = [];
  for (const [index, { line, cells }] of lines.entries()) {
    await options.between?.(index, lines.length);
    const read = await readTaskRow(cells, columns, options);
    if ('problems' in read) for (const p of read.problems) errors.push({ line, ...p });
    else rows.push(read.row);
  }
  if (errors.length) {
    const badLines = new Set(errors.map((e) => e.line)).size;
    return fail(
      `${badLines} of ${lines.length} rows have errors; nothing was imported`,
      errors,
      lines.length,
    );
  }
  return { ok: true, rows };
}
