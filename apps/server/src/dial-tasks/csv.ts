/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a BOM at the start. Blank lines are kept as []. */
export function parseCsv(text: string): { rows: string[][]; error: string | null } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let line = 1;
  let fieldStarted = false;
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
      continue;
    }
    if (ch === ',' || ch === ';' || ch === '\t') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      row.push(field);
      rows.push(row.length === 1 && row[0] === '' ? [] : row);
      row = [];
      field = '';
      fieldStarted = false;
      line++;
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += ch;
    fieldStarted = true;
    i++;
  }
  if (quoted) return { rows, error: `Line ${line}: a quoted field is not closed` };
  if (fieldStarted || row.length) {
    row.push(field);
    rows.push(row);
  }
  return { rows, error: null };
}

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
