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

/**
 * Checks a customer CSV file (see docs/agent-desk.md, "Customers in and out"): a header, one customer
 * per row, one or more phone columns (a cell may hold several numbers separated by `|`). Answers
 * every customer, or every problem with its line; a file with any bad row imports nothing.
 */
export async function readCustomerImport(
  csv: string,
  options: {
    defaultCountry: string;
    maxRows: number;
    delimiter?: CsvDelimiterChoice;
    /** The owner a row names (username or agent ID) as a user id, or null when there is none. */
    findOwner: (ref: string) => Promise<number | null>;
    between?: (done: number, total: number) => Promise<void>;
  },
): Promise<CustomerImport> {
  const errors: CustomerImportProblem[] = [];
  let errorCount = 0;
  const problem = (line: number, field: string, message: string) => {
    errorCount++;
    if (errors.length < MAX_REPORTED) errors.push({ line, field, message });
  };
  const fail = (rowCount: number): CustomerImport => ({
    ok: false,
    message: `csv: ${errorCount === 1 ? errors[0]!.message : `${errorCount} problems; nothing was imported`}`,
    errors,
    rowCount,
  });
  let records: { line: number; cells: string[] }[];
  try {
    ({ records } = await readCsv(csv, { delimiter: options.delimiter }));
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    problem(err.line, 'csv', err.message);
    return fail(0);
  }
  const [header, ...lines] = records;
  if (!header) {
    problem(1, 'header', 'The file is empty: the first line must be a header');
    return fail(0);
  }
  const columns = header.cells.map(columnOf);
  header.cells.forEach((h, i) => {
    if (columns[i] === null && h.trim()) problem(header.line, 'header', `Unknown column "${h.trim()}"`);
  });
  for (const col of ['name', 'phone'] as const) {
    if (!columns.includes(col)) problem(header.line, 'header', `The header has no "${col}" column`);
  }
  for (const col of ['company', 'email', 'notes', 'timeZone', 'owner'] as const) {
    if (columns.filter((c) => c === col).length > 1)
      problem(header.line, 'header', `The "${col}" column appears twice`);
  }
  if (errorCount) return fail(0);
  if (!lines.length) {
    problem(2, 'csv', 'The file has a header but no customers');
    return fail(0);
  }
  if (lines.length > options.maxRows) {
    problem(0, 'csv', `At most ${options.maxRows} customers per import`);
    return fail(lines.length);
  }

  const rows: CustomerImportRow[] = [];
  for (const [index, { line, cells }] of lines.entries()) {
    await options.between?.(index, lines.length);
    const get = (col: CustomerImportColumn) => {
      const i = columns.indexOf(col);
      return i < 0 ? '' : (cells[i] ?? '').trim();
    };
    const typed = columns
      .flatMap((col, i) => (col === 'phone' ? (cells[i] ?? '').split('|') : []))
      .map((p) => p.trim())
      .filter(Boolean);
    const before = errorCount;
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
        problem(line, String(issue.path[0] ?? 'row'), issue.message);
      }
    }
    const phones: string[] = [];
    for (const p of typed) {
      const checked = checkPhone(p, options.defaultCountry);
      if (!checked.ok) problem(line, 'phone', checked.message);
      else if (!phones.includes(checked.e164)) phones.push(checked.e164);
    }
    const ownerText = get('owner');
    let ownerUserId: number | null = null;
    if (ownerText) {
      ownerUserId = await options.findOwner(ownerText);
      if (ownerUserId === null) problem(line, 'owner', `No agent "${ownerText}"`);
    }
    if (errorCount > before || !fields.success) continue;
    rows.push({
      line,
      name: fields.data.name,
      company: fields.data.company ?? null,
      email: fields.data.email ?? null,
      notes: fields.data.notes ?? null,
      timeZone: fields.data.timeZone ?? null,
      ownerUserId,
      phones,
    });
  }
  return errorCount ? fail(lines.length) : { ok: true, rows };
}
