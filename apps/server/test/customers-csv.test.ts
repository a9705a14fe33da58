import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { describeEachDatabase, loggedInAs, type TestSystem } from './test-system';

async function customerCount(sys: TestSystem): Promise<number> {
  const row = await sys.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDatabase('customers in and out as CSV', (sys) => {
  it('imports a semicolon file with commas, quoted line breaks and several phones, all or nothing', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const before = await customerCount(sys());
    const bad = await sam.post('/api/customers/import', {
      csv: [
        'Name;Company;Email;Phone 1;Phone 2;Owner;Notes',
        'Ada Lovelace;Analytical, Ltd;ada@example.com;+442071838750;;alice;"Prefers mornings,\nnever Fridays"',
        ';Nobody Inc;not-an-email;12;;nobody;',
      ].join('\r\n'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors).toEqual([
      { line: 4, field: 'name', message: 'Enter the customer name' },
      { line: 4, field: 'email', message: 'Enter a valid email address' },
      {
        line: 4,
        field: 'phone',
        message: expect.stringMatching(/not a phone number|wrong number of digits/),
      },
      { line: 4, field: 'owner', message: 'No agent "nobody"' },
    ]);
    expect(await customerCount(sys())).toBe(before);

    const ok = await sam.post('/api/customers/import', {
      csv: [
        '\ufeffName;Company;Email;Phone 1;Phone 2;Owner;Notes',
        'Ada Lovelace;Analytical, Ltd;ada@example.com;+442071838750;+442071838751;alice;"Prefers mornings,\nnever Fridays"',
        'Charles Babbage;;;+442071838752;;;',
      ].join('\r\n'),
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.created).toBe(2);
    expect(await customerCount(sys())).toBe(before + 2);

    const alice = await loggedInAs(sys(), 'alice');
    const found = await alice.get('/api/customers?q=Lovelace');
    const ada = found.body.customers.find((c: { name: string }) => c.name === 'Ada Lovelace');
    expect(ada).toMatchObject({ company: 'Analytical, Ltd', notes: 'Prefers mornings,\nnever Fridays' });
    expect(ada.phones.map((p: { number: string }) => p.number)).toHaveLength(2);
    // No owner column value: the importer owns the customer, so the agent does not see it.
    expect((await alice.get('/api/customers?q=Babbage')).body.customers).toEqual([]);
  });

  it('exports what the viewer may see, a column per phone, and the export imports back', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const res = await sam.get('/api/customers/export.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const rows: string[][] = parse(res.text, { bom: true, relax_column_count: true });
    // The row count comes first, so the page can show the export's progress.
    expect(res.headers.get('x-row-count')).toBe(String(rows.length - 1));
    const header = rows[0]!;
    expect(header.slice(0, 7)).toEqual(['id', 'name', 'company', 'email', 'time_zone', 'owner', 'notes']);
    expect(header).toContain('phone_2');
    expect(rows.length - 1).toBe(await customerCount(sys()));
    const ada = rows.find((r) => r[1] === 'Ada Lovelace');
    expect(ada?.slice(7, 9)).toEqual(["'+442071838750", "'+442071838751"]);

    // An agent exports only their own customers.
    const alice = await loggedInAs(sys(), 'alice');
    const own = parse((await alice.get('/api/customers/export.csv')).text, {
      bom: true,
      relax_column_count: true,
    });
    const aliceId = (
      await sys()
        .db.selectFrom('users')
        .select('id')
        .where('username', '=', 'alice')
        .executeTakeFirstOrThrow()
    ).id;
    const owned = await sys()
      .db.selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner_user_id', '=', aliceId)
      .executeTakeFirstOrThrow();
    expect(own.length - 1).toBe(Number(owned.n));

    // The export is a valid import: a fresh copy of every row (ids and last contact are ignored).
    const before = await customerCount(sys());
    const samId = (
      await sys().db.selectFrom('users').select('id').where('username', '=', 'sam').executeTakeFirstOrThrow()
    ).id;
    const progress: Array<{ kind: string; phase: string; done: number; total: number }> = [];
    const off = sys().deps.events.subscribe({ userId: samId, role: 'supervisor' }, (p) => {
      if (p.event.type === 'import_progress') progress.push(p.event);
    });
    const again = await sam.post('/api/customers/import', { csv: res.text });
    off();
    expect(again.status, again.text).toBe(201);
    expect(await customerCount(sys())).toBe(before * 2);
    // The importer hears each phase start with the number of rows, then how far it has got.
    expect(progress[0]).toEqual(
      expect.objectContaining({ kind: 'customers', phase: 'checking', done: 0, total: before }),
    );
    expect(progress).toContainEqual(
      expect.objectContaining({ kind: 'customers', phase: 'writing', done: 0, total: before }),
    );
  });

  it('refuses agents an import, and a file that is not CSV', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    expect((await alice.post('/api/customers/import', { csv: 'name,phone\nA,+442071838750' })).status).toBe(
      403,
    );
    const sam = await loggedInAs(sys(), 'sam');
    const broken = await sam.post('/api/customers/import', { csv: 'name,phone\n"A,+442071838750' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/not valid CSV/);
    const noPhone = await sam.post('/api/customers/import', { csv: 'name,email\nA,a@example.com' });
    expect(noPhone.body.error.details.errors).toEqual([
      { line: 1, field: 'header', message: 'The header has no "phone" column' },
    ]);
  });
});
