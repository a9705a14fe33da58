import { expect, it } from 'vitest';
import { customerCount, describeEachDatabase, loggedInAs, userId } from './test-system';

describeEachDatabase('customers API', (sys) => {
  it('creates a customer with several numbers normalised to E.164 and answers its id', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    const res = await alice.post('/api/customers', {
      name: '  Grace Hopper ',
      phones: ['(202) 555-0143', '+44 20 7946 0958'],
      company: 'Navy',
      email: 'grace@example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body.customer.id).toEqual(expect.any(Number));
    expect(res.body.customer).toMatchObject({
      name: 'Grace Hopper',
      company: 'Navy',
      email: 'grace@example.com',
      notes: null,
      owner: { id: await userId(sys(), 'alice') },
    });
    expect(res.body.customer.phones.map((p: { number: string }) => p.number)).toEqual([
      '+12025550143',
      '+442079460958',
    ]);
    const got = await alice.get(`/api/customers/${res.body.customer.id}`);
    expect(got.status).toBe(200);
    expect(got.body.customer.name).toBe('Grace Hopper');
    expect(Array.isArray(got.body.recentCalls)).toBe(true);
  });

  it('names the bad phone by its index and creates nothing', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    const before = await customerCount(sys());
    const res = await alice.post('/api/customers', {
      name: 'Bad Number',
      phones: ['+12025550199', 'call me'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(/^phones\.1: /);
    expect(res.body.error.details.fields).toEqual([
      { field: 'phones.1', message: expect.stringMatching(/not a phone number/) },
    ]);
    const dup = await alice.post('/api/customers', {
      name: 'Dup',
      phones: ['2025550199', '+1 202 555 0199'],
    });
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toMatch(/^phones\.1: .*already/);
    const missing = await alice.post('/api/customers', { phones: ['2025550199'] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^name: /);
    const none = await alice.post('/api/customers', { name: 'No phones', phones: [] });
    expect(none.body.error.message).toMatch(/^phones: /);
    const email = await alice.post('/api/customers', { name: 'X', phones: ['2025550199'], email: 'nope' });
    expect(email.body.error.message).toMatch(/^email: /);
    expect(await customerCount(sys())).toBe(before);
  });

  it('shows an agent only the customers they added; others answer 404', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    const bob = await loggedInAs(sys(), 'bob');
    const aliceId = await userId(sys(), 'alice');
    const list = await alice.get('/api/customers?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(0);
    expect(list.body.customers.every((c: { owner: { id: number } }) => c.owner.id === aliceId)).toBe(true);
    const own = await sys()
      .db.selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner_user_id', '=', aliceId)
      .executeTakeFirstOrThrow();
    expect(list.body.total).toBe(Number(own.n));

    const bobs = await sys()
      .db.selectFrom('customers')
      .select('id')
      .where('owner_user_id', '=', await userId(sys(), 'bob'))
      .executeTakeFirstOrThrow();
    expect((await alice.get(`/api/customers/${bobs.id}`)).status).toBe(404);
    expect((await alice.patch(`/api/customers/${bobs.id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await alice.delete(`/api/customers/${bobs.id}`)).status).toBe(404);
    expect((await bob.get(`/api/customers/${bobs.id}`)).status).toBe(200);
    expect((await alice.get('/api/customers/999999')).status).toBe(404);
    expect((await alice.get('/api/customers/abc')).status).toBe(400);
  });

  it('lets an agent edit but not delete their own customer', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    const created = await alice.post('/api/customers', { name: 'Ada', phones: ['2025550101', '2025550102'] });
    const id = created.body.customer.id;
    const [first, second] = created.body.customer.phones;
    const edited = await alice.patch(`/api/customers/${id}`, {
      name: 'Ada Lovelace',
      notes: 'Prefers mornings',
      phones: [{ id: first.id }, '+1 415 555 0103'],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.customer.name).toBe('Ada Lovelace');
    expect(edited.body.customer.notes).toBe('Prefers mornings');
    expect(edited.body.customer.phones).toEqual([
      { id: first.id, number: '+12025550101', label: null },
      { id: expect.any(Number), number: '+14155550103', label: null },
    ]);
    expect(edited.body.customer.phones.some((p: { id: number }) => p.id === second.id)).toBe(false);
    // a phone id that is not this customer's is refused, and nothing changes
    const bad = await alice.patch(`/api/customers/${id}`, { name: 'Changed', phones: [{ id: 999999 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^phones\.0: /);
    expect((await alice.get(`/api/customers/${id}`)).body.customer.name).toBe('Ada Lovelace');
    const unknown = await alice.patch(`/api/customers/${id}`, { owner: 1 });
    expect(unknown.status).toBe(400);

    const del = await alice.delete(`/api/customers/${id}`);
    expect(del.status).toBe(403);
    expect(del.body.error.code).toBe('forbidden');
    expect((await alice.get(`/api/customers/${id}`)).status).toBe(200);
  });

  it('lets a supervisor see, edit and delete every agent’s customers, with an audit trail', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const carol = await loggedInAs(sys(), 'carol');
    const all = await sam.get('/api/customers?limit=100');
    const owners = new Set(
      all.body.customers.map((c: { owner: { displayName: string } }) => c.owner.displayName),
    );
    expect(owners.size).toBeGreaterThanOrEqual(4);
    expect(all.body.total).toBe(await customerCount(sys()));

    const created = await carol.post('/api/customers', { name: 'Linus', phones: ['+358 40 1234567'] });
    const id = created.body.customer.id;
    const edited = await sam.patch(`/api/customers/${id}`, { company: 'Kernel Org' });
    expect(edited.status).toBe(200);
    expect(edited.body.customer.company).toBe('Kernel Org');
    expect(edited.body.customer.owner.displayName).toBe('Carol');
    expect((await sam.delete(`/api/customers/${id}`)).status).toBe(204);
    expect((await carol.get(`/api/customers/${id}`)).status).toBe(404);
    const audit = await sys()
      .db.selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'customer')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
  });

  it('searches by name or number fragment, pages, and sorts by name or last contact', async () => {
    const dave = await loggedInAs(sys(), 'dave');
    const a = await dave.post('/api/customers', { name: 'Zebulon Quartz', phones: ['+1 646 555 7788'] });
    await dave.post('/api/customers', { name: 'zebulon Amber', phones: ['+1 312 555 2211'] });
    const byName = await dave.get('/api/customers?q=ZEBULON');
    expect(byName.body.customers.map((c: { name: string }) => c.name)).toEqual([
      'zebulon Amber',
      'Zebulon Quartz',
    ]);
    const byNumber = await dave.get('/api/customers?q=555-77');
    expect(byNumber.body.customers.map((c: { id: number }) => c.id)).toEqual([a.body.customer.id]);
    const wildcard = await dave.get('/api/customers?q=%25');
    expect(wildcard.body.total).toBe(0);

    const page1 = await dave.get('/api/customers?limit=3&page=1');
    const page2 = await dave.get('/api/customers?limit=3&page=2');
    expect(page1.body.customers).toHaveLength(3);
    expect(page1.body.total).toBe(page2.body.total);
    const ids1 = page1.body.customers.map((c: { id: number }) => c.id);
    expect(page2.body.customers.some((c: { id: number }) => ids1.includes(c.id))).toBe(false);
    const names = page1.body.customers.map((c: { name: string }) => c.name.toLowerCase());
    expect([...names].sort()).toEqual(names);

    const recent = await dave.get('/api/customers?sort=lastContact&limit=100');
    const times = recent.body.customers.map((c: { lastContactAt: number | null }) => c.lastContactAt ?? 0);
    expect(times[0]).toBeGreaterThan(0);
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect((await dave.get('/api/customers?sort=age')).status).toBe(400);
    expect((await dave.get('/api/customers?limit=1000')).body.error.message).toMatch(/^limit: /);
  });

  it('shows recent calls of the customer on its page', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const call = await sys()
      .db.selectFrom('calls')
      .select(['customer_id'])
      .where('customer_id', 'is not', null)
      .executeTakeFirstOrThrow();
    const res = await sam.get(`/api/customers/${call.customer_id}`);
    expect(res.body.recentCalls.length).toBeGreaterThan(0);
    const starts = res.body.recentCalls.map((c: { startedAt: number }) => c.startedAt);
    expect([...starts].sort((x: number, y: number) => y - x)).toEqual(starts);
  });

  it('while numbers are masked, an agent finds a customer by the whole number only, and not too often', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    const created = await alice.post('/api/customers', {
      name: 'Oracle Target',
      phones: ['+1 415 555 0143'],
    });
    expect(created.status).toBe(201);
    const settings = sys().system.deps.settings;
    await settings.set('numberMasking', {
      mode: 'partial',
      keepFirst: 2,
      keepLast: 2,
      exemptSupervisors: true,
    });
    try {
      const found = async (q: string) => {
        const res = await alice.get(`/api/customers?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        return (res.body.customers as Array<{ name: string }>).some((c) => c.name === 'Oracle Target');
      };
      expect(await found('+1 415 555 0143')).toBe(true);
      expect(await found('4155550143')).toBe(true);
      // Fragments find nothing by number: no digit of a masked number can be probed.
      expect(await found('555014')).toBe(false);
      expect(await found('41555501')).toBe(false);
      expect(await found('0143')).toBe(false);
      // An exempt supervisor still searches by fragment.
      const sam = await loggedInAs(sys(), 'sam');
      const bySam = await sam.get('/api/customers?q=555014');
      expect((bySam.body.customers as Array<{ name: string }>).some((c) => c.name === 'Oracle Target')).toBe(
        true,
      );
      // Number searches are rate-limited per agent (30 a minute); name searches are not.
      let status = 200;
      for (let i = 0; i < 40 && status === 200; i++)
        status = (await alice.get(`/api/customers?q=41555501${String(i).padStart(2, '0')}`)).status;
      expect(status).toBe(429);
      expect((await alice.get('/api/customers?q=Oracle')).status).toBe(200);
    } finally {
      await settings.set('numberMasking', {
        mode: 'off',
        keepFirst: 2,
        keepLast: 2,
        exemptSupervisors: true,
      });
    }
  });

  it("an agent's customer shows only the recent calls the agent may see in the CDR", async () => {
    const db = sys().db;
    const bob = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'bob')
      .executeTakeFirstOrThrow();
    const carol = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'carol')
      .executeTakeFirstOrThrow();
    // A number that called both bob and carol.
    const shared = await db
      .selectFrom('calls as a')
      .innerJoin('calls as b', 'b.customer_digits', 'a.customer_digits')
      .select('a.customer_number')
      .where('a.agent_user_id', '=', bob.id)
      .where('b.agent_user_id', '=', carol.id)
      .where('a.customer_number', 'is not', null)
      .executeTakeFirstOrThrow();
    const client = await loggedInAs(sys(), 'carol');
    const created = await client.post('/api/customers', {
      name: 'Shared Number',
      phones: [shared.customer_number],
    });
    expect(created.status).toBe(201);
    const detail = await client.get(`/api/customers/${created.body.customer.id}`);
    expect(detail.status).toBe(200);
    const calls = detail.body.recentCalls as Array<{ id: number }>;
    expect(calls.length).toBeGreaterThan(0);
    const owners = await db
      .selectFrom('calls')
      .select('agent_user_id')
      .where(
        'id',
        'in',
        calls.map((c) => c.id),
      )
      .execute();
    expect(new Set(owners.map((o) => o.agent_user_id))).toEqual(new Set([carol.id]));
    // A supervisor sees every call with the number.
    const sam = await loggedInAs(sys(), 'sam');
    const all = (await sam.get(`/api/customers/${created.body.customer.id}`)).body.recentCalls as Array<{
      id: number;
    }>;
    expect(all.length).toBeGreaterThan(calls.length);
  });

  it('masks numbers for agents when the admin says so, and keeps phones by reference on edit', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    const created = await alice.post('/api/customers', { name: 'Masked', phones: ['+1 202 555 0177'] });
    const id = created.body.customer.id;
    const phoneId = created.body.customer.phones[0].id;
    await sys().system.deps.settings.set('numberMasking', {
      mode: 'partial',
      keepFirst: 2,
      keepLast: 2,
      exemptSupervisors: true,
    });
    try {
      const seen = await alice.get(`/api/customers/${id}`);
      expect(seen.body.customer.numbersMasked).toBe(true);
      expect(seen.body.customer.phones[0].number).toBe('+12*******77');
      expect(JSON.stringify(seen.body)).not.toContain('2025550177');
      const listed = await alice.get('/api/customers?q=Masked');
      expect(listed.body.customers[0].phones[0].number).toBe('+12*******77');
      const kept = await alice.patch(`/api/customers/${id}`, { phones: [{ id: phoneId }, '2025550178'] });
      expect(kept.status).toBe(200);
      const stored = await sys()
        .db.selectFrom('customer_phones')
        .select('number')
        .where('customer_id', '=', id)
        .orderBy('id')
        .execute();
      expect(stored.map((s) => s.number)).toEqual(['+12025550177', '+12025550178']);
      const sam = await loggedInAs(sys(), 'sam');
      expect((await sam.get(`/api/customers/${id}`)).body.customer.phones[0].number).toBe('+12025550177');
    } finally {
      await sys().system.deps.settings.set('numberMasking', {
        mode: 'off',
        keepFirst: 2,
        keepLast: 2,
        exemptSupervisors: true,
      });
    }
  });

  it('looks a caller up by call for the agent on it, and by number for supervisors', async () => {
    const aliceId = await userId(sys(), 'alice');
    const call = await sys()
      .db.selectFrom('calls')
      .innerJoin('customers', 'customers.id', 'calls.customer_id')
      .select(['calls.id', 'calls.customer_id', 'calls.customer_number'])
      .where('calls.agent_user_id', '=', aliceId)
      .where('customers.owner_user_id', '=', aliceId)
      .executeTakeFirstOrThrow();
    const alice = await loggedInAs(sys(), 'alice');
    const res = await alice.get(`/api/customers/lookup?callId=${call.id}`);
    expect(res.status).toBe(200);
    expect(res.body.number).toBe(call.customer_number);
    expect(res.body.customers.map((c: { id: number }) => c.id)).toContain(call.customer_id);
    const other = await sys()
      .db.selectFrom('calls')
      .select('id')
      .where('agent_user_id', '!=', aliceId)
      .executeTakeFirstOrThrow();
    expect((await alice.get(`/api/customers/lookup?callId=${other.id}`)).status).toBe(404);
    expect(
      (await alice.get(`/api/customers/lookup?number=${encodeURIComponent(call.customer_number!)}`)).status,
    ).toBe(403);
    expect((await alice.get('/api/customers/lookup')).status).toBe(400);
    const sam = await loggedInAs(sys(), 'sam');
    const byNumber = await sam.get(
      `/api/customers/lookup?number=${encodeURIComponent(call.customer_number!)}`,
    );
    expect(byNumber.body.customers.map((c: { id: number }) => c.id)).toContain(call.customer_id);
  });
});
