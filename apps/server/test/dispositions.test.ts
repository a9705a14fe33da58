import { expect, it } from 'vitest';
import { describeEachDatabase, loggedInAs, type TestSystem, userId } from './test-system';

async function queueId(sys: TestSystem, name: string) {
  const row = await sys.db
    .selectFrom('queues')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A queue call's record, as the switch opens it, for `agent` to wrap up. */
async function queueCallRecord(sys: TestSystem, uuid: string, queue: number, agent: number) {
  await sys.db
    .insertInto('calls')
    .values({
      call_uuid: uuid,
      type: 'inbound',
      queue_id: queue,
      agent_user_id: agent,
      customer_number: '+15551230000',
      customer_digits: '15551230000',
      caller_number: '+15551230000',
      called_number: '5550101',
      started_at: Date.now() - 60_000,
      answered_at: Date.now() - 50_000,
      ended_at: Date.now(),
      duration_s: 50,
      disposition: 'answered',
      status: 'closed',
    })
    .execute();
}

describeEachDatabase('wrap-up dispositions', (sys) => {
  it('the administrator manages codes per queue and globally, refusing duplicates and bad input', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const support = await queueId(sys(), 'support');
    const global = await admin.post('/api/admin/disposition-codes', { name: 'Resolved', sortOrder: 1 });
    expect(global.status).toBe(201);
    expect(global.body).toMatchObject({ name: 'Resolved', queueId: null, active: true });
    const own = await admin.post('/api/admin/disposition-codes', { name: 'Refund issued', queueId: support });
    expect(own.status).toBe(201);
    const dup = await admin.post('/api/admin/disposition-codes', { name: 'resolved' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/already a code/);
    expect((await admin.post('/api/admin/disposition-codes', { name: '  ' })).status).toBe(400);
    expect((await admin.post('/api/admin/disposition-codes', { name: 'X', queueId: 99_999 })).status).toBe(
      400,
    );
    const agent = await loggedInAs(sys(), 'carol');
    expect((await agent.post('/api/admin/disposition-codes', { name: 'Mine' })).status).toBe(403);
    const required = await admin.put(`/api/admin/dispositions/queues/${support}`, { required: true });
    expect(required.status).toBe(200);
    expect(required.body.queues.find((q: { queueId: number }) => q.queueId === support).required).toBe(true);
    const settings = await admin.get('/api/admin/dispositions');
    expect(settings.body.codes.map((c: { name: string }) => c.name)).toEqual(['Refund issued', 'Resolved']);
  });

  it('an agent picks a code and a note at wrap-up; they are on the CDR, its search, its CSV and the customer history', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const sales = await queueId(sys(), 'sales');
    const support = await queueId(sys(), 'support');
    const other = await admin.post('/api/admin/disposition-codes', { name: 'Sale made', queueId: sales });
    expect(other.status).toBe(201);
    const c = await loggedInAs(sys(), 'carol');
    await c.put('/api/agents/me/state', { status: 'idle' });
    expect((await c.get('/api/agents/me/wrapup')).body).toEqual({ wrapUp: null });
    expect((await c.put('/api/agents/me/wrapup', { codeId: null })).status).toBe(409);

    const carol = await userId(sys(), 'carol');
    await queueCallRecord(sys(), 'wrap-1', support, carol);
    const agents = sys().deps.agents;
    agents.board.markOnCall(carol, { callId: 'wrap-1', queueId: support });
    agents.board.markWrapUp(carol, 60);
    const wrap = (await c.get('/api/agents/me/wrapup')).body.wrapUp;
    expect(wrap).toMatchObject({ callId: 'wrap-1', queueName: 'support', required: true, code: null });
    expect(wrap.until).toBeGreaterThan(Date.now() + 30_000);
    // Codes of every queue and of this call's queue, not another queue's.
    const names = wrap.codes.map((x: { name: string }) => x.name);
    expect(names).toEqual(expect.arrayContaining(['Resolved', 'Refund issued']));
    expect(names).not.toContain('Sale made');

    // Required: "Done" without a code is refused and the agent stays in wrap-up.
    const early = await c.post('/api/agents/me/wrapup/done');
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/support requires one/);
    expect((await c.get('/api/agents/me/state')).body.status).toBe('wrapup');
    const wrong = await c.put('/api/agents/me/wrapup', { codeId: other.body.id });
    expect(wrong.status).toBe(400);
    expect((await c.put('/api/agents/me/wrapup', { codeId: null, note: 'x' })).status).toBe(400);

    const resolved = wrap.codes.find((x: { name: string }) => x.name === 'Resolved');
    const set = await c.put('/api/agents/me/wrapup', { codeId: resolved.id, note: 'Reset the router' });
    expect(set.status).toBe(200);
    expect(set.body.wrapUp).toMatchObject({ code: 'Resolved', note: 'Reset the router' });
    const before = set.body.wrapUp.until;
    const extended = await c.post('/api/agents/me/wrapup/extend', { seconds: 30 });
    expect(extended.body.wrapUp.until).toBeGreaterThanOrEqual(before + 30_000);
    expect((await c.post('/api/agents/me/wrapup/extend', { seconds: 0 })).status).toBe(400);
    const done = await c.post('/api/agents/me/wrapup/done');
    expect(done.status).toBe(200);
    expect((await c.get('/api/agents/me/state')).body.status).toBe('idle');
    expect((await c.post('/api/agents/me/wrapup/done')).status).toBe(409);

    const sup = await loggedInAs(sys(), 'sam');
    const found = await sup.get('/api/cdr?wrapupCode=resolved');
    expect(found.status).toBe(200);
    const row = found.body.records.find((r: { callUuid: string }) => r.callUuid === 'wrap-1');
    expect(row).toMatchObject({ wrapupCode: 'Resolved', wrapupNote: 'Reset the router' });
    expect(
      found.body.records.every((r: { wrapupCode: string }) => r.wrapupCode === 'Resolved'),
      'the search keeps only that code',
    ).toBe(true);
    expect((await sup.get('/api/cdr?wrapupCode=Sale%20made')).body.records).toHaveLength(0);
    const csv = await sup.get('/api/cdr/export.csv?wrapupCode=Resolved');
    expect(csv.text.split('\n')[0]).toContain('Wrap-up code,Wrap-up note');
    expect(csv.text).toContain('Resolved,Reset the router');

    const customer = await sup.post('/api/customers', { name: 'Wrap Customer', phones: ['+15551230000'] });
    expect(customer.status).toBe(201);
    const detail = await sup.get(`/api/customers/${customer.body.customer.id}`);
    expect(
      detail.body.recentCalls.find((x: { wrapupCode: string }) => x.wrapupCode === 'Resolved'),
    ).toMatchObject({
      wrapupNote: 'Reset the router',
    });
  });

  it('a required code holds the agent in wrap-up past the timer until they pick it', async () => {
    const c = await loggedInAs(sys(), 'carol');
    const carol = await userId(sys(), 'carol');
    const support = await queueId(sys(), 'support');
    await queueCallRecord(sys(), 'wrap-2', support, carol);
    const agents = sys().deps.agents;
    agents.board.markOnCall(carol, { callId: 'wrap-2', queueId: support });
    // The queue's own wrap-up time is 0: the required code alone opens a wrap-up.
    agents.board.markWrapUp(carol, 0);
    const wrap = (await c.get('/api/agents/me/wrapup')).body.wrapUp;
    expect(wrap).toMatchObject({ callId: 'wrap-2', required: true });
    expect((await c.get('/api/agents/me/state')).body.status).toBe('wrapup');
    const freed = new Promise<void>((resolve) => {
      const off = agents.board.onStatusChange((a) => {
        if (a.userId === carol && a.status === 'idle') {
          off();
          resolve();
        }
      });
    });
    expect((await c.put('/api/agents/me/wrapup', { codeId: wrap.codes[0].id })).status).toBe(200);
    await freed;
    expect((await c.get('/api/agents/me/state')).body.status).toBe('idle');
    const admin = await loggedInAs(sys(), 'admin');
    await admin.put(`/api/admin/dispositions/queues/${support}`, { required: false });
  });
});
