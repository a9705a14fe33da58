import { describe, expect, it } from 'vitest';
import { type DialTaskImportLookups, mapHeader, readDialTaskImport } from './dial-task-import';
import { RowProblem } from './dial-task-store';

// The lookups of an import, over two agents and one customer; the database's own are tested
// through the API in dial-tasks.test.ts.
const agents = new Map([
  ['alice', 11],
  ['1002', 12],
]);
const lookups: DialTaskImportLookups = {
  async findAgent(ref, field) {
    const id = agents.get(ref);
    if (id === undefined) throw new RowProblem({ field, message: `No agent "${ref}"` });
    return id;
  },
  async resolveTarget({ customerId, number }) {
    if (customerId !== null && customerId !== 7)
      throw new RowProblem({ field: 'customerId', message: 'No such customer' });
    if (number) {
      if (!/^\+?\d{6,15}$/.test(number.replace(/\s/g, '')))
        throw new RowProblem({ field: 'number', message: `"${number}" is not a phone number` });
      return { customer_id: customerId, number: number.replace(/\s/g, '') };
    }
    if (customerId === 7) return { customer_id: 7, number: '+12025550100' };
    throw new RowProblem({ field: 'number', message: 'Enter a number or choose a customer' });
  },
};
const read = (csv: string, maxRows = 100) => readDialTaskImport(csv, { timeZone: 'UTC', maxRows, lookups });

describe('readDialTaskImport', () => {
  it('keeps a note with commas whole in a semicolon file, and reads quoted notes over two lines', async () => {
    const result = await read(
      'number;agent;start;end;note\n+12025550143;alice;2026-06-01;2026-06-05;call back, after 5pm\n' +
        '+12025550144;1002;2026-06-01T09:00;2026-06-01T17:00;"line one\nline two"\n',
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        {
          customer_id: null,
          number: '+12025550143',
          assigned_user_id: 11,
          start_at: Date.UTC(2026, 5, 1),
          end_at: Date.UTC(2026, 5, 5, 23, 59, 59, 999),
          note: 'call back, after 5pm',
        },
        {
          customer_id: null,
          number: '+12025550144',
          assigned_user_id: 12,
          start_at: Date.UTC(2026, 5, 1, 9),
          end_at: Date.UTC(2026, 5, 1, 17),
          note: 'line one\nline two',
        },
      ],
    });
  });

  it('takes a BOM and a customer ID in place of a number', async () => {
    const result = await read('\ufeffcustomer_id,agent,start,end\r\n7,alice,2026-06-01,2026-06-02\r\n');
    expect(result.ok && result.rows[0]).toMatchObject({ customer_id: 7, number: '+12025550100' });
  });

  it('reports every bad row with its line and field, and imports none', async () => {
    const result = await read(
      'number,customer_id,agent,start,end\n' +
        '+12025550143,,alice,2026-06-01,2026-06-05\n' +
        'call me,,bob,2026-06-07,2026-06-01\n' +
        ',x,alice,,2026-06-01\n',
    );
    expect(result).toEqual({
      ok: false,
      message: 'csv: 2 of 3 rows have errors; nothing was imported',
      rowCount: 3,
      errors: [
        { line: 3, field: 'number', message: '"call me" is not a phone number' },
        { line: 3, field: 'agent', message: 'No agent "bob"' },
        { line: 3, field: 'end', message: 'The end date is before the start date' },
        { line: 4, field: 'customer_id', message: '"x" is not a customer ID' },
        { line: 4, field: 'start', message: 'Enter the start date' },
      ],
    });
  });

  it('refuses a file that is not CSV, has no rows, or has more rows than allowed', async () => {
    expect(await read('number,agent,start,end\n"open,alice')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^csv: The file is not valid CSV/),
    });
    expect(await read('number,agent,start,end\n\n')).toMatchObject({
      ok: false,
      message: 'csv: The file has a header but no rows',
    });
    const three = 'number,agent,start,end\n' + '+12025550143,alice,2026-06-01,2026-06-02\n'.repeat(3);
    expect(await read(three, 2)).toMatchObject({ ok: false, message: 'csv: At most 2 rows per import' });
  });

  it('checks 50,000 rows without holding the event loop', { timeout: 120_000 }, async () => {
    const row = (i: number) =>
      `+1202${String(5_000_000 + i)};${i % 2 ? 'alice' : '1002'};2026-06-01;2026-06-30;"note ${i}; with, commas"`;
    const csv = ['number;agent;start;end;note', ...Array.from({ length: 50_000 }, (_, i) => row(i))].join(
      '\r\n',
    );
    // A timer drift probe: a 10 ms interval notes how late each tick comes. The import yields
    // between short slices, so ticks keep coming while it runs; checking the whole file in one go
    // would hold them for seconds. Most ticks must be under 100 ms late; the worst is bounded
    // loosely, since on a loaded machine the process itself can wait that long for a core.
    const drifts: number[] = [];
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      drifts.push(now - last - 10);
      last = now;
    }, 10);
    const slicer = (await import('../csv/import-slicer')).importSlicer(() => undefined, 20);
    const result = await readDialTaskImport(csv, {
      timeZone: 'UTC',
      maxRows: 50_000,
      lookups,
      between: (done) => slicer(done),
    });
    clearInterval(probe);
    expect(result.ok && result.rows.length).toBe(50_000);
    expect(result.ok && result.rows[49_999]?.note).toBe('note 49999; with, commas');
    drifts.sort((a, b) => a - b);
    expect(drifts.length).toBeGreaterThan(20);
    expect(drifts[Math.floor(drifts.length * 0.95)]).toBeLessThan(100);
    expect(drifts.at(-1)).toBeLessThan(1000);
  });
});

describe('mapHeader', () => {
  it('maps headings by alias, case and spacing', () => {
    expect(mapHeader(['Phone Number', 'Agent', 'Start Date', 'End-Date', 'Notes']).columns).toEqual([
      'number',
      'agent',
      'start',
      'end',
      'note',
    ]);
  });

  it('names unknown, duplicate and missing columns', () => {
    const { errors } = mapHeader(['number', 'phone', 'when']);
    expect(errors).toEqual([
      'Column "phone" appears twice',
      'Unknown column "when"',
      'The header has no "agent" column',
      'The header has no "start" column',
      'The header has no "end" column',
    ]);
  });
});
