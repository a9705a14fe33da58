import { expect, it } from 'vitest';
import { describeEachDatabase, loggedInAs, type TestSystem, userId } from './test-system';

async function taskCount(sys: TestSystem): Promise<number> {
  return Number(
    (
      await sys.db
        .selectFrom('dial_tasks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

describeEachDatabase('dial tasks API', (sys) => {
  it('gives every demo agent tasks from the supervisor on a fresh database', async () => {
    for (const agent of ['alice', 'bob', 'carol', 'dave']) {
      const res = await (await loggedInAs(sys(), agent)).get('/api/dial-tasks');
      const demo = res.body.tasks.filter(
        (t: { createdBy: { displayName: string } }) => t.createdBy.displayName === 'Sam',
      );
      expect(demo.length, agent).toBe(3);
      expect(
        demo.every(
          (t: { customer: unknown; startAt: number; endAt: number }) => t.customer && t.endAt > t.startAt,
        ),
      ).toBe(true);
    }
  });

  it('lets a supervisor create a task by number or by customer, with a date range', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const alice = await userId(sys(), 'alice');
    const byNumber = await sam.post('/api/dial-tasks', {
      number: '(415) 555-0199',
      assignedUserId: alice,
      startAt: '2026-06-01',
      endAt: '2026-06-03',
      timeZone: 'UTC',
      note: 'Renewal',
    });
    expect(byNumber.status).toBe(201);
    expect(byNumber.body.task).toMatchObject({
      number: '+14155550199',
      customer: null,
      assignee: { id: alice, displayName: 'Alice' },
      createdBy: { displayName: 'Sam' },
      startAt: Date.UTC(2026, 5, 1),
      endAt: Date.UTC(2026, 5, 3, 23, 59, 59, 999),
      result: 'pending',
      note: 'Renewal',
    });
    const customer = await sys()
      .db.selectFrom('customers')
      .innerJoin('customer_phones', 'customer_phones.customer_id', 'customers.id')
      .select(['customers.id', 'customers.name', 'customer_phones.number'])
      .orderBy('customer_phones.id')
      .executeTakeFirstOrThrow();
    const byCustomer = await sam.post('/api/dial-tasks', {
      customerId: customer.id,
      assignedUserId: alice,
      startAt: '2026-06-01T09:00Z',
      endAt: '2026-06-01T17:00Z',
    });
    expect(byCustomer.status).toBe(201);
    expect(byCustomer.body.task.customer).toEqual({ id: customer.id, name: customer.name });
    expect(byCustomer.body.task.number).toBe(customer.number);
  });

  it('names the bad field and creates nothing', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const alice = await userId(sys(), 'alice');
    const admin = await userId(sys(), 'admin');
    const before = await taskCount(sys());
    const base = { number: '2025550100', assignedUserId: alice, startAt: '2026-06-01', endAt: '2026-06-02' };
    const cases: [object, RegExp][] = [
      [{ ...base, number: 'nope' }, /^number: /],
      [{ ...base, number: undefined }, /^number: Enter a number or choose a customer/],
      [{ ...base, assignedUserId: admin }, /^assignedUserId: No agent/],
      [{ ...base, startAt: 'soon' }, /^startAt: /],
      [{ ...base, endAt: '2026-05-01' }, /^endAt: The end date is before/],
      [{ ...base, customerId: 999999, number: undefined }, /^customerId: No such customer/],
      [{ ...base, assignedUserId: undefined }, /^assignedUserId: /],
    ];
    for (const [body, message] of cases) {
      const res = await sam.post('/api/dial-tasks', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect(await taskCount(sys())).toBe(before);
  });

  it('shows agents only their tasks; they may change the result only, and every change is audited', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const bob = await loggedInAs(sys(), 'bob');
    const carol = await loggedInAs(sys(), 'carol');
    const bobId = await userId(sys(), 'bob');
    const created = await sam.post('/api/dial-tasks', {
      number: '+1 312 555 0101',
      assignedUserId: bobId,
      startAt: '2026-07-01',
      endAt: '2026-07-02',
    });
    const id = created.body.task.id;

    const mine = await bob.get('/api/dial-tasks?limit=100');
    expect(mine.body.tasks.map((t: { id: number }) => t.id)).toContain(id);
    expect(mine.body.tasks.every((t: { assignee: { id: number } }) => t.assignee.id === bobId)).toBe(true);
    const carols = await carol.get('/api/dial-tasks?limit=100');
    expect(carols.body.tasks.map((t: { id: number }) => t.id)).not.toContain(id);
    expect((await carol.get(`/api/dial-tasks/${id}`)).status).toBe(404);
    expect((await carol.patch(`/api/dial-tasks/${id}`, { result: 'done' })).status).toBe(404);
    expect((await carol.get(`/api/dial-tasks?assignee=${bobId}`)).status).toBe(403);

    expect((await bob.patch(`/api/dial-tasks/${id}`, { result: 'no_answer' })).body.task.result).toBe(
      'no_answer',
    );
    expect((await bob.patch(`/api/dial-tasks/${id}`, { result: 'reached' })).body.task.result).toBe(
      'reached',
    );
    const sneaky = await bob.patch(`/api/dial-tasks/${id}`, { result: 'done', note: 'changed' });
    expect(sneaky.status).toBe(403);
    expect((await bob.patch(`/api/dial-tasks/${id}`, { result: 'finished' })).body.error.message).toMatch(
      /^result: /,
    );
    expect((await bob.get(`/api/dial-tasks/${id}`)).body.task.result).toBe('reached');

    expect(
      (
        await bob.post('/api/dial-tasks', {
          number: '2025550100',
          assignedUserId: bobId,
          startAt: '2026-06-01',
          endAt: '2026-06-02',
        })
      ).status,
    ).toBe(403);
    expect((await bob.delete(`/api/dial-tasks/${id}`)).status).toBe(403);
    expect((await bob.get(`/api/dial-tasks/${id}/history`)).status).toBe(403);
    expect(
      (
        await bob.post('/api/dial-tasks/import', {
          csv: 'number,agent,start,end\n2025550100,bob,2026-06-01,2026-06-02',
        })
      ).status,
    ).toBe(403);

    const history = await sam.get(`/api/dial-tasks/${id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.history.map((h: { action: string }) => h.action)).toEqual([
      'create',
      'result',
      'result',
    ]);
    expect(history.body.history[1]).toMatchObject({
      actor: 'Bob',
      changes: [{ field: 'result', from: 'pending', to: 'no_answer' }],
    });
    expect(history.body.history[2].changes).toEqual([{ field: 'result', from: 'no_answer', to: 'reached' }]);
  });

  it('lets a supervisor reassign, edit and delete a task', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const bobId = await userId(sys(), 'bob');
    const daveId = await userId(sys(), 'dave');
    const created = await sam.post('/api/dial-tasks', {
      number: '2025550111',
      assignedUserId: bobId,
      startAt: '2026-07-01',
      endAt: '2026-07-02',
    });
    const id = created.body.task.id;
    const edited = await sam.patch(`/api/dial-tasks/${id}`, {
      assignedUserId: daveId,
      note: 'Dave speaks Spanish',
      endAt: '2026-07-05',
      timeZone: 'UTC',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.task).toMatchObject({
      assignee: { displayName: 'Dave' },
      note: 'Dave speaks Spanish',
      endAt: Date.UTC(2026, 6, 5, 23, 59, 59, 999),
    });
    expect((await sam.patch(`/api/dial-tasks/${id}`, { endAt: '2020-01-01' })).status).toBe(400);
    const filtered = await sam.get(`/api/dial-tasks?assignee=${daveId}&limit=100`);
    expect(filtered.body.tasks.map((t: { id: number }) => t.id)).toContain(id);
    expect((await sam.delete(`/api/dial-tasks/${id}`)).status).toBe(204);
    expect((await sam.get(`/api/dial-tasks/${id}`)).status).toBe(404);
    const history = await sam.get(`/api/dial-tasks/${id}/history`);
    expect(history.body.history.map((h: { action: string }) => h.action)).toEqual([
      'create',
      'update',
      'delete',
    ]);
  });

  it('imports a CSV, or reports every bad row and imports nothing', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const customer = await sys()
      .db.selectFrom('customers')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const before = await taskCount(sys());
    const bad = await sam.post('/api/dial-tasks/import', {
      timeZone: 'UTC',
      csv: [
        'Number,Customer ID,Agent,Start,End,Note',
        '2025550120,,alice,2026-08-01,2026-08-02,ok row',
        'not-a-number,,bob,2026-08-01,2026-08-02,',
        ',,nobody,2026-08-01,2026-08-02,',
        '2025550121,,1002,someday,2026-07-01,',
        '',
      ].join('\r\n'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('csv: 3 of 4 rows have errors; nothing was imported');
    expect(bad.body.error.details.rows).toBe(4);
    expect(bad.body.error.details.errors).toEqual([
      { line: 3, field: 'number', message: expect.stringMatching(/not a phone number/) },
      { line: 4, field: 'number', message: 'Enter a number or choose a customer' },
      { line: 4, field: 'agent', message: 'No agent "nobody"' },
      { line: 5, field: 'start', message: expect.stringMatching(/not a date/) },
    ]);
    expect(await taskCount(sys())).toBe(before);

    const header = await sam.post('/api/dial-tasks/import', { csv: 'phone,when\n1,2' });
    expect(header.status).toBe(400);
    expect(header.body.error.details.errors[0]).toMatchObject({ line: 1, field: 'header' });

    const good = await sam.post('/api/dial-tasks/import', {
      timeZone: 'UTC',
      csv: `number,customer_id,agent,start,end,note\n2025550120,,alice,2026-08-01,2026-08-02,"Call about ""Plan B"""\n,${customer.id},1003,2026-08-01 09:00,2026-08-01 17:00,\n`,
    });
    expect(good.status).toBe(201);
    expect(good.body.created).toBe(2);
    expect(await taskCount(sys())).toBe(before + 2);
    const carol = await loggedInAs(sys(), 'carol');
    const carolTasks = await carol.get('/api/dial-tasks?limit=100');
    expect(
      carolTasks.body.tasks.some(
        (t: { customer: { id: number } | null; startAt: number }) =>
          t.customer?.id === customer.id && t.startAt === Date.UTC(2026, 7, 1, 9),
      ),
    ).toBe(true);
  });

  it('masks task numbers for agents while the task keeps the whole number', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const alice = await loggedInAs(sys(), 'alice');
    const created = await sam.post('/api/dial-tasks', {
      number: '+1 202 555 0188',
      assignedUserId: await userId(sys(), 'alice'),
      startAt: '2026-06-01',
      endAt: '2026-06-02',
    });
    await sys().system.deps.settings.set('numberMasking', {
      mode: 'all',
      keepFirst: 2,
      keepLast: 2,
      exemptSupervisors: true,
    });
    try {
      const seen = await alice.get(`/api/dial-tasks/${created.body.task.id}`);
      expect(seen.body.task.number).toBe('+***********');
      expect((await sam.get(`/api/dial-tasks/${created.body.task.id}`)).body.task.number).toBe(
        '+12025550188',
      );
    } finally {
      await sys().system.deps.settings.set('numberMasking', {
        mode: 'off',
        keepFirst: 2,
        keepLast: 2,
        exemptSupervisors: true,
      });
    }
  });
});
