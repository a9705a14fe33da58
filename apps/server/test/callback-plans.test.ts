import { expect, it } from 'vitest';
import { type ApiClient, describeEachDatabase, loggedInAs } from './test-system';

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describeEachDatabase('callback plans API', (sys) => {
  it('gives every demo agent upcoming callback plans on their own customers', async () => {
    const bob = await loggedInAs(sys(), 'bob');
    const res = await bob.get('/api/callback-plans?status=scheduled');
    expect(res.body.plans.length).toBeGreaterThanOrEqual(2);
    for (const plan of res.body.plans) {
      expect(plan.owner.displayName).toBe('Bob');
      expect(plan.phoneId).toEqual(expect.any(Number));
      expect((await bob.get(`/api/customers/${plan.customer.id}`)).status).toBe(200);
    }
  });

  async function customerOf(client: ApiClient, name: string) {
    const res = await client.post('/api/customers', { name, phones: ['+1 202 555 0150', '+1 202 555 0151'] });
    return res.body.customer as { id: number; phones: { id: number }[] };
  }

  it('creates a plan by customer and phone reference, stored in UTC from a wall time and zone', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    const customer = await customerOf(alice, 'Plan Person');
    const year = new Date().getUTCFullYear() + 1;
    const res = await alice.post('/api/callback-plans', {
      customerId: customer.id,
      phoneId: customer.phones[1]!.id,
      dueAt: `${year}-07-15T09:30`,
      timeZone: 'Europe/Berlin',
      note: 'Wants a quote',
    });
    expect(res.status).toBe(201);
    expect(res.body.plan).toMatchObject({
      customer: { id: customer.id, name: 'Plan Person' },
      phoneId: customer.phones[1]!.id,
      number: '+12025550151',
      dueAt: Date.UTC(year, 6, 15, 7, 30),
      note: 'Wants a quote',
      status: 'scheduled',
      owner: { displayName: 'Alice' },
    });
    const withOffset = await alice.post('/api/callback-plans', {
      customerId: customer.id,
      phoneId: customer.phones[0]!.id,
      dueAt: `${year}-07-15T09:30:00-04:00`,
    });
    expect(withOffset.body.plan.dueAt).toBe(Date.UTC(year, 6, 15, 13, 30));
  });

  it('refuses bad input with a 400 naming the field and creates nothing', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    const customer = await customerOf(alice, 'Validation');
    const count = async () =>
      Number(
        (
          await sys()
            .db.selectFrom('callback_plans')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const base = { customerId: customer.id, phoneId: customer.phones[0]!.id, dueAt: inHours(2) };
    const cases: [object, RegExp][] = [
      [{ ...base, dueAt: 'next tuesday' }, /^dueAt: /],
      [{ ...base, dueAt: '2020-01-01T10:00Z' }, /^dueAt: The due time is in the past/],
      [{ ...base, timeZone: 'Mars/Base', dueAt: '2030-01-01T10:00' }, /^timeZone: /],
      [{ ...base, phoneId: 999999 }, /^phoneId: /],
      [{ ...base, customerId: 999999 }, /^customerId: /],
      [{ ...base, customerId: 'x' }, /^customerId: /],
      [{ ...base, extra: 1 }, /extra/],
    ];
    for (const [body, message] of cases) {
      const res = await alice.post('/api/callback-plans', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect(await count()).toBe(before);
  });

  it('keeps agents to their own customers and plans; supervisors see and filter all', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    const bob = await loggedInAs(sys(), 'bob');
    const sam = await loggedInAs(sys(), 'sam');
    const aliceCustomer = await customerOf(alice, 'Alice Own');
    const bobCustomer = await customerOf(bob, 'Bob Own');
    // alice cannot plan a callback to bob's customer: it does not exist for her
    const foreign = await alice.post('/api/callback-plans', {
      customerId: bobCustomer.id,
      phoneId: bobCustomer.phones[0]!.id,
      dueAt: inHours(1),
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toMatch(/^customerId: No such customer/);
    const bobPlan = await bob.post('/api/callback-plans', {
      customerId: bobCustomer.id,
      phoneId: bobCustomer.phones[0]!.id,
      dueAt: inHours(1),
    });
    expect(bobPlan.status).toBe(201);
    const bobUserId = bobPlan.body.plan.owner.id;
    // agents cannot assign a plan to someone else
    const forOther = await alice.post('/api/callback-plans', {
      customerId: aliceCustomer.id,
      phoneId: aliceCustomer.phones[0]!.id,
      dueAt: inHours(1),
      ownerUserId: bobUserId,
    });
    expect(forOther.status).toBe(403);

    expect((await alice.get(`/api/callback-plans/${bobPlan.body.plan.id}`)).status).toBe(404);
    expect(
      (await alice.patch(`/api/callback-plans/${bobPlan.body.plan.id}`, { status: 'done' })).status,
    ).toBe(404);
    const aliceList = await alice.get('/api/callback-plans?limit=100');
    expect(
      aliceList.body.plans.every((p: { owner: { displayName: string } }) => p.owner.displayName === 'Alice'),
    ).toBe(true);
    expect((await alice.get(`/api/callback-plans?owner=${bobUserId}`)).status).toBe(403);

    const samAll = await sam.get('/api/callback-plans?limit=100');
    const owners = new Set(
      samAll.body.plans.map((p: { owner: { displayName: string } }) => p.owner.displayName),
    );
    expect(owners.has('Alice')).toBe(true);
    expect(owners.has('Bob')).toBe(true);
    const samBob = await sam.get(`/api/callback-plans?owner=${bobUserId}`);
    expect(samBob.body.plans.length).toBeGreaterThan(0);
    expect(samBob.body.plans.every((p: { owner: { id: number } }) => p.owner.id === bobUserId)).toBe(true);
    // a supervisor may plan for an agent and close another agent's plan
    const forBob = await sam.post('/api/callback-plans', {
      customerId: aliceCustomer.id,
      phoneId: aliceCustomer.phones[0]!.id,
      dueAt: inHours(3),
      ownerUserId: bobUserId,
    });
    expect(forBob.status).toBe(201);
    expect(forBob.body.plan.owner.displayName).toBe('Bob');
    expect(
      (await sam.patch(`/api/callback-plans/${bobPlan.body.plan.id}`, { status: 'cancelled' })).body.plan
        .status,
    ).toBe('cancelled');
  });

  it('filters by status and time, edits, marks done and refuses changes to a closed plan', async () => {
    const carol = await loggedInAs(sys(), 'carol');
    const customer = await customerOf(carol, 'Filter Me');
    const ref = { customerId: customer.id, phoneId: customer.phones[0]!.id };
    const a = (await carol.post('/api/callback-plans', { ...ref, dueAt: inHours(10) })).body.plan;
    const b = (await carol.post('/api/callback-plans', { ...ref, dueAt: inHours(50) })).body.plan;
    const window = await carol.get(
      `/api/callback-plans?customerId=${customer.id}&from=${encodeURIComponent(inHours(5))}&to=${encodeURIComponent(inHours(20))}`,
    );
    expect(window.body.plans.map((p: { id: number }) => p.id)).toEqual([a.id]);
    expect((await carol.get('/api/callback-plans?from=soon')).body.error.message).toMatch(/^from: /);
    expect((await carol.get('/api/callback-plans?status=later')).status).toBe(400);

    const edited = await carol.patch(`/api/callback-plans/${b.id}`, {
      dueAt: inHours(30),
      note: 'moved',
      phoneId: customer.phones[1]!.id,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.plan).toMatchObject({
      note: 'moved',
      phoneId: customer.phones[1]!.id,
      status: 'scheduled',
    });
    const done = await carol.patch(`/api/callback-plans/${a.id}`, { status: 'done' });
    expect(done.body.plan.status).toBe('done');
    const open = await carol.get(`/api/callback-plans?customerId=${customer.id}&status=scheduled,due`);
    expect(open.body.plans.map((p: { id: number }) => p.id)).toEqual([b.id]);
    const again = await carol.patch(`/api/callback-plans/${a.id}`, { note: 'too late' });
    expect(again.status).toBe(409);
    expect((await carol.patch(`/api/callback-plans/${b.id}`, { status: 'missed' })).status).toBe(400);
  });

  it('lets a supervisor reassign a plan to another agent (audited), and no agent reassign one', async () => {
    const bob = await loggedInAs(sys(), 'bob');
    const sam = await loggedInAs(sys(), 'sam');
    const aliceId = (await (await loggedInAs(sys(), 'alice')).get('/api/auth/me')).body.user.id as number;
    const customer = await customerOf(bob, 'Bob Reassigned');
    const created = await bob.post('/api/callback-plans', {
      customerId: customer.id,
      phoneId: customer.phones[0]!.id,
      dueAt: inHours(2),
    });
    expect(created.status).toBe(201);
    const id = created.body.plan.id as number;
    expect((await bob.patch(`/api/callback-plans/${id}`, { ownerUserId: aliceId })).status).toBe(403);
    expect((await sam.patch(`/api/callback-plans/${id}`, { ownerUserId: 999_999 })).status).toBe(400);
    expect((await sam.get(`/api/callback-plans/${id}`)).body.plan.owner.id).not.toBe(aliceId);
    const moved = await sam.patch(`/api/callback-plans/${id}`, { ownerUserId: aliceId });
    expect(moved.status).toBe(200);
    expect(moved.body.plan.owner.id).toBe(aliceId);
    // Scheduled for alice now: in her list, gone from bob's.
    expect(
      (await sam.get(`/api/callback-plans?owner=${aliceId}`)).body.plans.map((p: { id: number }) => p.id),
    ).toContain(id);
    expect((await bob.get(`/api/callback-plans/${id}`)).status).toBe(404);
    const audit = await sys()
      .db.selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'callback_plan')
      .where('entity_id', '=', String(id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'reassign']);
  });

  it('masks the plan number for agents; the plan still calls back by phone reference', async () => {
    const alice = await loggedInAs(sys(), 'alice');
    const customer = await customerOf(alice, 'Masked Plan');
    const created = await alice.post('/api/callback-plans', {
      customerId: customer.id,
      phoneId: customer.phones[0]!.id,
      dueAt: inHours(4),
    });
    await sys().system.deps.settings.set('numberMasking', {
      mode: 'partial',
      keepFirst: 2,
      keepLast: 2,
      exemptSupervisors: true,
    });
    try {
      const seen = await alice.get(`/api/callback-plans/${created.body.plan.id}`);
      expect(seen.body.plan.number).toBe('+12*******50');
      expect(seen.body.plan.phoneId).toBe(customer.phones[0]!.id);
      const listed = await alice.get(`/api/callback-plans?customerId=${customer.id}`);
      expect(JSON.stringify(listed.body)).not.toContain('2025550150');
    } finally {
      await sys().system.deps.settings.set('numberMasking', {
        mode: 'off',
        keepFirst: 2,
        keepLast: 2,
        exemptSupervisors: true,
      });
    }
  });

  it('turns a plan due when its time passes, by the server’s scheduler', async () => {
    const dave = await loggedInAs(sys(), 'dave');
    const customer = await customerOf(dave, 'Due Soon');
    const scheduler = sys().system.deps.callbackPlans;
    const res = await dave.post('/api/callback-plans', {
      customerId: customer.id,
      phoneId: customer.phones[0]!.id,
      dueAt: new Date(Date.now() + 400).toISOString(),
    });
    expect(res.body.plan.status).toBe('scheduled');
    const id = res.body.plan.id;
    await new Promise<void>((resolve) => {
      const off = scheduler.onChange((changes) => {
        if (changes.some((c) => c.id === id && c.status === 'due')) {
          off();
          resolve();
        }
      });
    });
    expect((await dave.get(`/api/callback-plans/${id}`)).body.plan.status).toBe('due');
  });
});
