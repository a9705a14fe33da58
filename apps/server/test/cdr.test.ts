import { expect, it } from 'vitest';
import { describeEachDatabase } from './test-system';

const DAY = 86_400_000;

describeEachDatabase('Statistics → CDR', (sys) => {
  async function userId(name: string) {
    const row = await sys()
      .db.selectFrom('users')
      .select('id')
      .where('username', '=', name)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('counts the filtered calls per wrap-up code, most used first', async () => {
    const c = sys().client();
    await c.login('sam');
    const at = Date.UTC(2031, 0, 15, 10);
    const mark = `codes-${sys().kind}`;
    const ids: number[] = [];
    const codes = ['Sale', 'Sale', 'Callback', null, 'Sale', 'Callback', 'Complaint'];
    for (const [i, code] of codes.entries()) {
      const row = await sys()
        .db.insertInto('calls')
        .values({
          call_uuid: `${mark}-${i}`,
          type: 'inbound',
          started_at: at + i * 1000,
          duration_s: 10,
          ring_time_s: 1,
          disposition: 'answered',
          status: 'closed',
          wrapup_code: code,
          // The last one falls outside the period asked for.
          ...(i === codes.length - 1 ? { started_at: at + 2 * DAY } : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    try {
      const res = await c.get(`/api/cdr?from=${at}&to=${at + DAY}`);
      expect(res.status).toBe(200);
      expect(res.body.wrapupCodes).toEqual([
        { code: 'Sale', count: 3 },
        { code: 'Callback', count: 2 },
      ]);
      // Other filters narrow it the same way.
      const sales = await c.get(`/api/cdr?from=${at}&to=${at + DAY}&wrapupCode=sale`);
      expect(sales.body.wrapupCodes).toEqual([{ code: 'Sale', count: 3 }]);
      // An agent counts only their own calls.
      const agent = sys().client();
      await agent.login('alice');
      expect((await agent.get(`/api/cdr?from=${at}&to=${at + DAY}`)).body.wrapupCodes).toEqual([]);
    } finally {
      await sys().db.deleteFrom('calls').where('id', 'in', ids).execute();
    }
  });

  it('shows an agent only their own calls, with totals that match the database', async () => {
    const c = sys().client();
    await c.login('alice');
    const alice = await userId('alice');
    const res = await c.get('/api/cdr?pageSize=200');
    expect(res.status).toBe(200);
    expect(res.body.records.length).toBeGreaterThan(0);
    for (const r of res.body.records) expect(r.agentUserId).toBe(alice);
    const own = await sys()
      .db.selectFrom('calls')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('duration_s').as('d')])
      .where('agent_user_id', '=', alice)
      .executeTakeFirstOrThrow();
    expect(res.body.totals.count).toBe(Number(own.n));
    expect(res.body.totals.totalDurationS).toBe(Number(own.d));
    expect(res.body.numbersMasked).toBe(false);
  });

  it('shows a supervisor every agent’s calls', async () => {
    const c = sys().client();
    await c.login('sam');
    const res = await c.get('/api/cdr?pageSize=200');
    expect(res.status).toBe(200);
    const agents = new Set(res.body.records.map((r: { agentUserId: number | null }) => r.agentUserId));
    expect(agents.size).toBeGreaterThan(2);
    const all = await sys()
      .db.selectFrom('calls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(res.body.totals.count).toBe(Number(all.n));
  });

  it('an agent asking for another agent’s calls gets none', async () => {
    const c = sys().client();
    await c.login('alice');
    const bob = await userId('bob');
    const res = await c.get(`/api/cdr?agentId=${bob}`);
    expect(res.status).toBe(200);
    expect(res.body.records).toEqual([]);
    expect(res.body.totals.count).toBe(0);
  });

  it('filters by type, disposition, minimum duration, queue and time range', async () => {
    const c = sys().client();
    await c.login('sam');
    const queue = await sys()
      .db.selectFrom('queues')
      .select('id')
      .where('name', '=', 'sales')
      .executeTakeFirstOrThrow();
    const from = Date.now() - 30 * DAY;
    const to = Date.now() - 2 * DAY;
    const res = await c.get(
      `/api/cdr?type=inbound&disposition=answered&minDuration=60&queueId=${queue.id}&from=${from}&to=${to}&pageSize=200`,
    );
    expect(res.status).toBe(200);
    expect(res.body.records.length).toBeGreaterThan(0);
    for (const r of res.body.records) {
      expect(r.type).toBe('inbound');
      expect(r.disposition).toBe('answered');
      expect(r.durationS).toBeGreaterThanOrEqual(60);
      expect(r.queueId).toBe(queue.id);
      expect(r.queueName).toBe('sales');
      expect(r.startedAt).toBeGreaterThanOrEqual(from);
      expect(r.startedAt).toBeLessThanOrEqual(to);
    }
    expect(res.body.totals.answered).toBe(res.body.totals.count);
  });

  it('takes ISO dates for from/to', async () => {
    const c = sys().client();
    await c.login('sam');
    const from = new Date(Date.now() - 3 * DAY).toISOString();
    const res = await c.get(`/api/cdr?from=${encodeURIComponent(from)}`);
    expect(res.status).toBe(200);
    for (const r of res.body.records) expect(r.startedAt).toBeGreaterThanOrEqual(Date.parse(from));
  });

  it('finds calls by a number fragment and by customer name', async () => {
    const c = sys().client();
    await c.login('sam');
    const known = await sys()
      .db.selectFrom('calls')
      .innerJoin('customers', 'customers.id', 'calls.customer_id')
      .select(['calls.customer_digits', 'customers.name', 'customers.id'])
      .executeTakeFirstOrThrow();
    const fragment = known.customer_digits!.slice(4, 9);
    const byNumber = await c.get(`/api/cdr?number=${fragment}&pageSize=200`);
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.records.length).toBeGreaterThan(0);
    for (const r of byNumber.body.records) expect(r.customerNumber.replace(/\D/g, '')).toContain(fragment);

    const lastName = known.name.split(' ')[1]!.toLowerCase();
    const byName = await c.get(`/api/cdr?customer=${encodeURIComponent(lastName)}&pageSize=200`);
    expect(byName.status).toBe(200);
    expect(byName.body.records.length).toBeGreaterThan(0);
    for (const r of byName.body.records) expect(r.customerName.toLowerCase()).toContain(lastName);

    const wildcard = await c.get('/api/cdr?customer=%25');
    expect(wildcard.body.totals.count).toBe(0);
  });

  it('sorts by an allow-listed column and pages', async () => {
    const c = sys().client();
    await c.login('sam');
    const asc = await c.get('/api/cdr?sort=duration&order=asc&pageSize=50');
    const durations = asc.body.records.map((r: { durationS: number }) => r.durationS);
    expect(durations).toEqual([...durations].sort((a, b) => a - b));
    const p1 = await c.get('/api/cdr?pageSize=10&page=1');
    const p2 = await c.get('/api/cdr?pageSize=10&page=2');
    expect(p1.body.records[9].startedAt).toBeGreaterThanOrEqual(p2.body.records[0].startedAt);
    expect(p2.body.records[0].id).not.toBe(p1.body.records[9].id);
  });

  it('lists the queues for the search form to any agent', async () => {
    const c = sys().client();
    await c.login('alice');
    const res = await c.get('/api/cdr/queues');
    expect(res.status).toBe(200);
    expect(res.body.queues.map((q: { name: string }) => q.name)).toEqual(['sales', 'support']);
  });

  it('answers bad input with 400 naming the field', async () => {
    const c = sys().client();
    await c.login('sam');
    for (const [query, field] of [
      ['sort=customer_number;drop', 'sort'],
      ['number=12', 'number'],
      ['number=abc', 'number'],
      ['minDuration=-1', 'minDuration'],
      ['type=outbound', 'type'],
      ['disposition=failed', 'disposition'],
      [`from=${Date.now()}&to=${Date.now() - DAY}`, 'to'],
      ['from=yesterday', 'from'],
      ['pageSize=100000', 'pageSize'],
      ['bogus=1', 'query'],
    ] as const) {
      const res = await c.get(`/api/cdr?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field).join(','), query).toContain(
        field,
      );
    }
  });

  it('gives an agent their last 20 calls, newest first, with the call ID for call-back', async () => {
    const c = sys().client();
    await c.login('bob');
    const bob = await userId('bob');
    const res = await c.get('/api/cdr/recent');
    expect(res.status).toBe(200);
    expect(res.body.records).toHaveLength(20);
    const times = res.body.records.map((r: { startedAt: number }) => r.startedAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const r of res.body.records) {
      expect(r.agentUserId).toBe(bob);
      expect(typeof r.id).toBe('number');
    }
  });

  it('exports the same search as CSV, only the agent’s own calls', async () => {
    const c = sys().client();
    await c.login('carol');
    const search = await c.get('/api/cdr?type=manual');
    const res = await c.get('/api/cdr/export.csv?type=manual');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="cdr-.*\.csv"/);
    const lines = res.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('Customer number');
    expect(lines.length - 1).toBe(search.body.totals.count);
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'Manual Dialed')).toBe(true);
    const ids = new Set(lines.slice(1).map((l) => Number(l.split(',')[0])));
    const carol = await userId('carol');
    const own = await sys()
      .db.selectFrom('calls')
      .select('id')
      .where('agent_user_id', '=', carol)
      .where('type', '=', 'manual')
      .execute();
    expect(ids).toEqual(new Set(own.map((r) => r.id)));
  });

  it('streams a large export in keyset batches without repeats (supervisor, all calls)', async () => {
    const c = sys().client();
    await c.login('sam');
    const res = await c.get('/api/cdr/export.csv?sort=duration&order=asc');
    const rows = res.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n')
      .slice(1);
    const ids = rows.map((l) => Number(l.split(',')[0]));
    expect(new Set(ids).size).toBe(ids.length);
    const all = await sys()
      .db.selectFrom('calls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(ids.length).toBe(Number(all.n));
    const durations = rows.map((l) => Number(l.split(',')[8]));
    expect(durations).toEqual([...durations].sort((a, b) => a - b));
  });

  it('export validates its filters like the search', async () => {
    const c = sys().client();
    await c.login('alice');
    const res = await c.get('/api/cdr/export.csv?disposition=maybe');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('disposition');
  });

  it('defuses every CSV cell a spreadsheet would run as a formula; E.164 numbers stay text', async () => {
    const db = sys().db;
    const rows = await db
      .selectFrom('calls')
      .select(['id', 'customer_number'])
      .orderBy('id', 'desc')
      .limit(5)
      .execute();
    const payloads = ['=2+5', '-2+3', '@SUM(A1)', '\t=1+1', '+12025550123'];
    try {
      for (const [i, r] of rows.entries())
        await db.updateTable('calls').set({ customer_number: payloads[i]! }).where('id', '=', r.id).execute();
      const sam = sys().client();
      await sam.login('sam');
      const csv = await sam.get('/api/cdr/export.csv');
      expect(csv.status).toBe(200);
      const byId = new Map(
        csv.text
          .trim()
          .split('\r\n')
          .slice(1)
          .map((l) => [Number(l.split(',')[0]), l.split(',')[6]] as const),
      );
      expect(rows.map((r) => byId.get(r.id))).toEqual([
        "'=2+5",
        "'-2+3",
        "'@SUM(A1)",
        "'\t=1+1",
        "'+12025550123",
      ]);
      // No cell of the whole export starts a formula.
      for (const line of csv.text.trim().split('\r\n'))
        for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+\-@\t\r]/);
    } finally {
      for (const r of rows)
        await db
          .updateTable('calls')
          .set({ customer_number: r.customer_number })
          .where('id', '=', r.id)
          .execute();
    }
  });

  it('masks numbers for agents in the search, the recent list and the CSV; supervisors exempt', async () => {
    const settings = sys().system.deps.settings;
    await settings.set('numberMasking', {
      mode: 'partial',
      keepFirst: 2,
      keepLast: 2,
      exemptSupervisors: true,
    });
    try {
      const agent = sys().client();
      await agent.login('alice');
      const search = await agent.get('/api/cdr?pageSize=50');
      expect(search.body.numbersMasked).toBe(true);
      for (const r of search.body.records) expect(r.customerNumber).toMatch(/^\+\d{2}\*+\d{2}$/);
      const probe = await agent.get('/api/cdr?number=202');
      expect(probe.status).toBe(400);
      expect(probe.body.error.details.fields[0].field).toBe('number');
      expect((await agent.get('/api/cdr/export.csv?number=202')).status).toBe(400);
      const recent = await agent.get('/api/cdr/recent');
      expect(recent.body.numbersMasked).toBe(true);
      for (const r of recent.body.records) expect(r.customerNumber).toMatch(/^\+\d{2}\*+\d{2}$/);
      const csv = await agent.get('/api/cdr/export.csv');
      const numbers = csv.text
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[6]);
      expect(numbers.length).toBeGreaterThan(0);
      // Defused for spreadsheets: a cell starting with + gets a leading '.
      for (const n of numbers) expect(n).toMatch(/^'\+\d{2}\*+\d{2}$/);

      const sup = sys().client();
      await sup.login('sam');
      const supSearch = await sup.get('/api/cdr?pageSize=50');
      expect(supSearch.body.numbersMasked).toBe(false);
      expect(supSearch.body.records[0].customerNumber).toMatch(/^\+\d{8,}$/);
      expect((await sup.get('/api/cdr?number=202')).status).toBe(200);

      await settings.set('numberMasking', {
        mode: 'all',
        keepFirst: 2,
        keepLast: 2,
        exemptSupervisors: false,
      });
      const supMasked = await sup.get('/api/cdr?pageSize=5');
      for (const r of supMasked.body.records) expect(r.customerNumber).toMatch(/^\+\*{8,}$/);
      const supCsv = await sup.get('/api/cdr/export.csv?type=auto');
      for (const l of supCsv.text.trim().split('\r\n').slice(1))
        expect(l.split(',')[6]).toMatch(/^'\+\*{8,}$/);
    } finally {
      await settings.set('numberMasking', {
        mode: 'off',
        keepFirst: 2,
        keepLast: 2,
        exemptSupervisors: true,
      });
    }
  });
});
