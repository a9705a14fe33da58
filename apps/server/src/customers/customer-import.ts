import { type CsvDelimiterChoice, customerCreateSchema } from '@switchboard/shared';
import { CsvError, readCsv } from '../csv/read-csv';
import { checkPhone } from './phones';

export type CustomerImportColumn = 'name' | 'company' | 'email' | 'notes' | 'timeZone' | 'owner' | 'phone';

/** Header names (lower case, letters and digits only) each column is recognised by. */
const aliases: Record<string, CustomerImportColumn | 'ignored'> = {
  name: 'name',
  customer: 'name',
  customername: 'name',
  fullname: 'name',
  company: 'company',
  organisation: 'company',
  organization: 'company',
  email: 'email',
  emailaddress: 'email',
  notes: 'notes',
  note: 'notes',
  timezone: 'timeZone',
  tz: 'timeZone',
  owner: 'owner',
  agent: 'owner',
  phone: 'phone',
  phones: 'phone',
  phonenumber: 'phone',
  number: 'phone',
  mobile: 'phone',
  // Columns of the export that an import leaves to the server.
  id: 'ignored',
  lastcontact: 'ignored',
  created: 'ignored',
};

function columnOf(heading: string): CustomerImportColumn | 'ignored' | null {
  const key = heading.toLowerCase().replace(/[^a-z0-9]/g, '');
  return aliases[key] ?? aliases[key.replace(/\d+$/, '')] ?? null;
}

export interface CustomerImportRow {
  line: number;
  name: string;
  company: string | null;
  email: string | null;
  notes: string | null;
  timeZone: string | null;
  /** The owning agent's user id; null for the importer. */
  ownerUserId: number | null;
  /** E.164, each once. */
  phones: string[];
}

export interface CustomerImportProblem {
  line: number;
  field: string;
  message: string;
}

export type CustomerImport =
  | { ok: true; rows: CustomerImportRow[] }
  | { ok: false; message: string; errors: CustomerImportProblem[]; rowCount: number };

const MAX_REPORTED = 200;

type ColumnOrIgnored = CustomerImportColumn | 'ignored' | null;
type CsvRecord = { line: number; cells: string[] };

export interface CustomerImportOptions {
  defaultCountry: string;
  maxRows: number;
  delimiter?: CsvDelimiterChoice;
  /** The owner a row names (username or agent ID) as a user id, or null when there is none. */
  findOwner: (ref: string) => Promise<number | null>;
  between?: (done: number, total: number) => Promise<void>;
}

/** Every problem of a file, counted, the first MAX_REPORTED kept to report. */
class Problems {
  readonly errors: CustomerImportProblem[] = [];
  count = 0;
  add(line: number, field: string, message: string): void {
    this.count++;
    if (this.errors.length < MAX_REPORTED) this.errors.push({ line, field, message });
  }
  refusal(rowCount: number): CustomerImport {
    return {
      ok: false,
      message: `csv: ${this.count === 1 ? this.errors[0]!.message : `${this.count} problems; nothing was imported`}`,
      errors: this.errors,
      rowCount,
    };
  }
}

/** The file's records, each with its line; null (and a problem) when it is not CSV. */
async function readRecords(
  csv: string,
  delimiter: CsvDelimiterChoice | undefined,
  problems: Problems,
): Promise<CsvRecord[] | null> {
  try {
    return (await readCsv(csv, { delimiter })).records;
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    problems.add(err.line, 'csv', err.message);
    return null;
  }
}

/** What each column of the header means; unknown, missing and repeated columns are problems. */
function readHeader(header: CsvRecord, problems: Problems): ColumnOrIgnored[] {
  const columns = header.cells.map(columnOf);
  header.cells.forEach((h, i) => {
    if (columns[i] === null && h.trim()) problems.add(header.line, 'header', `Unknown column "${h.trim()}"`);
  });
  for (const col of ['name', 'phone'] as const) {
    if (!columns.includes(col)) problems.add(header.line, 'header', `The header has no "${col}" column`);
  }
  for (const col of ['company', 'email', 'notes', 'timeZone', 'owner'] as const) {
    if (columns.filter((c) => c === col).length > 1)
      problems.add(header.line, 'header', `The "${col}" column appears twice`);
  }
  return columns;
}

/** The numbers typed in a row's phone columns (a cell may hold several, separated by `|`). */
function phoneCells(cells: string[], columns: ColumnOrIgnored[]): string[] {
  return columns
    .flatMap((col, i) => (col === 'phone' ? (cells[i] ?? '').split('|') : []))
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The typed numbers as E.164, each once; a number that is not valid is a problem. */
function readPhones(line: number, typed: string[], defaultCountry: string, problems: Problems): string[] {
  const phones: string[] = [];
  for (const p of typed) {
    const checked = checkPhone(p, defaultCountry);
    if (!checked.ok) problems.add(line, 'phone', checked.message);
    else if (!phones.includes(checked.e164)) phones.push(checked.e164);
  }
  return phones;
}

/** The row's owning agent's user id; null for none, and a problem when no agent has that name. */
async function readOwner(
  line: number,
  ownerText: string,
  findOwner: CustomerImportOptions['findOwner'],
  problems: Problems,
): Promise<number | null> {
  if (!ownerText) return null;
  const ownerUserId = await findOwner(ownerText);
  if (ownerUserId === null) problems.add(line, 'owner', `No agent "${ownerText}"`);
  return ownerUserId;
}

/** One data row as a customer, or null when any of its fields is a problem (each is reported). */
async function readRow(
  { line, cells }: CsvRecord,
  columns: ColumnOrIgnored[],
  options: CustomerImportOptions,
  problems: Problems,
): Promise<CustomerImportRow | null> {
  const get = (col: CustomerImportColumn) => {
    const i = columns.indexOf(col);
    return i < 0 ? '' : (cells[i] ?? '').trim();
  };
  const typed = phoneCells(cells, columns);
  const before = problems.count;
  const fields = customerCreateSchema.safeParse({
    name: get('name'),
    company: get('company'),
    email: get('email'),
    notes: get('notes'),
    timeZone: get('timeZone'),
    phones: typed.length ? typed : [],
  });
  if (!fields.success) {
    for (const issue of fields.error.issues) {
      if (issue.path[0] === 'phones' && issue.path.length > 1) continue;
      problems.add(line, String(issue.path[0] ?? 'row'), issue.message);
    }
  }
  const phones = readPhones(line, typed, options.defaultCountry, problems);
  const ownerUserId = await readOwner(line, get('owner'), options.findOwner, problems);
  if (problems.count > before || !fields.success) return null;
  return {
    line,
    name: fields.data.name,
    company: fields.data.company ?? null,
    email: fields.data.email ?? null,
    notes: fields.data.notes ?? null,
    timeZone: fields.data.timeZone ?? null,
    ownerUserId,
    phones,
  };
}

/**
 * Checks a customer CSV file (see docs/agent-desk.md, "Customers in and out"): a header, one customer
 * per row, one or more phone columns (a cell may hold several numbers separated by `|`). Answers
 * every customer, or every problem with its line; a file with any bad row imports nothing.
 */
export async function readCustomerImport(
  csv: string,
  options: CustomerImportOptions,
): Promise<CustomerImport> {
  const problems = new Problems();
  const records = await readRecords(csv, options.delimiter, problems);
  if (!records) return problems.refusal(0);
  const [header, ...lines] = records;
  if (!header) {
    problems.add(1, 'header', 'The file is empty: the first line must be a header');
    return problems.refusal(0);
  }
  const columns = readHeader(header, problems);
  if (problems.count) return problems.refusal(0);
  if (!lines.length) {
    problems.add(2, 'csv', 'The file has a header but no customers');
    return problems.refusal(0);
  }
  if (lines.length > options.maxRows) {
    problems.add(0, 'csv', `At most ${options.maxRows} customers per import`);
    return problems.refusal(lines.length);
  }
  const rows: CustomerImportRow[] = [];
  for (const [index, record] of lines.entries()) {
    await options.between?.(index, lines.length);
    const row = await readRow(record, columns, options, problems);
    if (row) rows.push(row);
  }
  return problems.count ? problems.refusal(lines.length) : { ok: true, rows };
}
