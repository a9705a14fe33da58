import type { LiveEvent } from '@switchboard/shared';
import { afterEach, expect, it } from 'vitest';
import type { AgentOffer, OfferResult } from '../src/queues/types';
import { nextRegistration, registerWebAgent } from './sip-agents';
import { describeEachDatabase, type TestSystem } from './test-system';

async function idOf(sys: TestSystem, table: 'users' | 'queues', name: string) {
  const row =
    table === 'users'
      ? await sys.db.selectFrom('users').select('id').where('username', '=', name).executeTakeFirstOrThrow()
      : await sys.db.selectFrom('queues').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

let seq = 0;
const callId = () => `q-test-${Date.now()}-${seq++}`;

describeEachDatabase('queues for the desk', (sys) => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  function enqueue(queueId: number, number: string) {
    const id = callId();
    expect(sys().deps.queues.enqueue(queueId, { callId: id, callerNumber: number, callerName: null })).toBe(
      'queued',
    );
    cleanup.push(() => sys().deps.queues.hangup(id));
    return id;
  }

  it('GET /api/queues: agents see their queues as summaries, supervisors all queues with the overview', async () => {
    const alice = sys().client();
    await alice.login('alice');
    const mine = await alice.get('/api/queues');
    expect(mine.status).toBe(200);
    expect(mine.body.queues).toEqual([
      {
        id: await idOf(sys(), 'queues', 'sales'),
        name: 'sales',
        waiting: 0,
        agentsAvailable: expect.any(Number),
      },
    ]);
    const sam = sys().client();
    await sam.login('sam');
    const all = await sam.get('/api/queues');
    expect(all.body.queues.map((q: { name: string }) => q.name)).toEqual(['sales', 'support']);
    expect(Object.keys(all.body.queues[0]).sort()).toEqual(
      [
        'agentsAvailable',
        'answeredToday',
        'callsToday',
        'id',
        'longestWaitS',
        'members',
        'name',
        'pausedMembers',
        'strategy',
        'waiting',
      ].sort(),
    );
  });

  it('the waiting list: latest arrival on top, positions, wait time, numbers masked for agents; events per change', async () => {
    const sales = await idOf(sys(), 'queues', 'sales');
    const sam = sys().client();
    await sam.login('sam');
    await sys().deps.settings.set('numberMasking', {
      mode: 'partial',
      keepFirst: 2,
      keepLast: 2,
      exemptSupervisors: true,
    });
    cleanup.push(() =>
      sys().deps.settings.set('numberMasking', {
        mode: 'off',
        keepFirst: 2,
        keepLast: 2,
        exemptSupervisors: true,
      }),
    );
    const seen: LiveEvent[] = [];
    cleanup.push(sys().deps.events.subscribe({ userId: -1, role: 'admin' }, (e) => seen.push(e.event)));

    const first = enqueue(sales, '+15550001001');
    const second = enqueue(sales, '+15550001002');
    const alice = sys().client();
    await alice.login('alice');
    const res = await alice.get(`/api/queues/${sales}/waiting`);
    expect(res.status).toBe(200);
    expect(res.body.calls.map((c: { callId: string; position: number }) => [c.callId, c.position])).toEqual([
      [second, 2],
      [first, 1],
    ]);
    expect(res.body.calls[0].callerNumber).toBe('+15*******02');
    expect(res.body.calls[0].waitS).toBeGreaterThanOrEqual(0);
    const bySupervisor = await sam.get(`/api/queues/${sales}/waiting`);
    expect(bySupervisor.body.calls[0].callerNumber).toBe('+15550001002');
    expect(seen).toContainEqual(
      expect.objectContaining({
        type: 'queue_waiting',
        queueId: sales,
        callId: second,
        change: 'joined',
        position: 2,
        waiting: 2,
      }),
    );
    const summary = await alice.get('/api/queues');
    expect(summary.body.queues[0].waiting).toBe(2);

    // An agent of another queue cannot look; an unknown queue is 404; a bad id is 400.
    const carol = sys().client();
    await carol.login('carol');
    expect((await carol.get(`/api/queues/${sales}/waiting`)).status).toBe(403);
    expect((await alice.get('/api/queues/999999/waiting')).status).toBe(404);
    expect((await alice.get('/api/queues/abc/waiting')).status).toBe(400);
  });

  it('an agent reorders the waiting list and delivery follows the new order', async () => {
    const sales = await idOf(sys(), 'queues', 'sales');
    const a = enqueue(sales, '+15550002001');
    const b = enqueue(sales, '+15550002002');
    const c = enqueue(sales, '+15550002003');
    const alice = sys().client();
    await alice.login('alice');
    const moved = await alice.post(`/api/queues/${sales}/waiting/${c}/position`, { move: 'top' });
    expect(moved.status).toBe(200);
    expect(moved.body.position).toBe(1);
    expect(
      (await alice.post(`/api/queues/${sales}/waiting/${a}/position`, { move: 'down' })).body.position,
    ).toBe(3);
    const bad = await alice.post(`/api/queues/${sales}/waiting/${a}/position`, { move: 'sideways' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('move');
    expect((await alice.post(`/api/queues/${sales}/waiting/nope/position`, { move: 'up' })).status).toBe(404);
    expect(
      sys()
        .deps.queues.waiting(sales)
        .map((w) => w.call.callId),
    ).toEqual([c, b, a]);
  });

  it('a registered, idle agent is offered the call through the switch port; a supervisor sends a call to a chosen agent', async () => {
    const sales = await idOf(sys(), 'queues', 'sales');
    const offers: AgentOffer[] = [];
    const pending = new Map<string, (r: OfferResult) => void>();
    sys().deps.queues.setOfferPort({
      offer: (o) =>
        new Promise<OfferResult>((resolve) => {
          offers.push(o);
          pending.set(`${o.call.callId}:${o.userId}`, resolve);
        }),
      cancel: (o) => pending.get(`${o.call.callId}:${o.userId}`)?.('no_answer'),
    });
    const alice = await idOf(sys(), 'users', 'alice');
    const bob = await idOf(sys(), 'users', 'bob');
    // Bob pauses: he must never be offered a call.
    const bobClient = sys().client();
    await bobClient.login('bob');
    await bobClient.put('/api/agents/me/state', { status: 'paused', reason: 'Break' });
    cleanup.push(() => bobClient.put('/api/agents/me/state', { status: 'idle' }));

    const waiting = enqueue(sales, '+15550003001');
    expect(offers).toEqual([]);
    const registered = nextRegistration(sys(), '1001', (c) => c.registered);
    const agent = await registerWebAgent(sys(), 'alice');
    cleanup.push(() => agent.stop());
    await registered;
    // Registration logged alice in: the dispatcher offers her the waiting call.
    expect(offers.map((o) => [o.call.callId, o.userId, o.extension])).toEqual([[waiting, alice, '1001']]);
    expect((await agent.client.get('/api/agents/me/state')).body.status).toBe('idle');

    // The supervisor sends it to bob: paused, so refused; unknown agent is 400; the call stays with alice.
    const sam = sys().client();
    await sam.login('sam');
    const refused = await sam.post(`/api/queues/${sales}/waiting/${waiting}/assign`, { userId: bob });
    expect(refused.status).toBe(409);
    expect(
      (await sam.post(`/api/queues/${sales}/waiting/${waiting}/assign`, { userId: 999999 })).status,
    ).toBe(400);
    expect((await sam.post(`/api/queues/${sales}/waiting/${waiting}/assign`, {})).status).toBe(400);
    expect(
      (await agent.client.post(`/api/queues/${sales}/waiting/${waiting}/assign`, { userId: alice })).status,
    ).toBe(403);

    // Alice answers: on call, the call leaves the list; the switch ends it and she is free again.
    expect(offers[0]!.claim()).toBe(true);
    pending.get(`${waiting}:${alice}`)?.('answered');
    expect(sys().deps.queues.waitingCount(sales)).toBe(0);
    expect((await agent.client.get('/api/agents/me/state')).body.status).toBe('on_call');
    const presence = sys().deps.agents.presence;
    presence.apply({
      change: 'left',
      callId: String(waiting),
      userId: alice,
      queueId: null,
      reason: 'ended',
    });
    expect((await agent.client.get('/api/agents/me/state')).body.status).toBe('idle');

    // A second call arrives while alice is busy: offered as soon as she is free; she declines, and the
    // call waits its retry delay — until the supervisor sends it to her explicitly.
    presence.apply({ change: 'joined', callId: 'elsewhere', userId: alice, queueId: null });
    const next = enqueue(sales, '+15550003002');
    expect(offers.at(-1)!.call.callId).toBe(waiting);
    presence.apply({ change: 'left', callId: 'elsewhere', userId: alice, queueId: null, reason: 'ended' });
    expect(offers.at(-1)!.call.callId).toBe(next);
    pending.get(`${next}:${alice}`)?.('declined');
    await new Promise((r) => setImmediate(r));
    const before = offers.length;
    const sent = await sam.post(`/api/queues/${sales}/waiting/${next}/assign`, { userId: alice });
    expect(sent.status).toBe(200);
    expect(offers.length).toBe(before + 1);
    expect(offers.at(-1)!.userId).toBe(alice);
    sys().deps.queues.setOfferPort({ offer: async () => 'failed', cancel: () => {} });
  });

  it('admin changes to queues and members reach the dispatcher and agent state at once', async () => {
    const admin = sys().client();
    await admin.login('admin');
    const name = `q-${Date.now()}`;
    const created = await admin.post('/api/admin/queues', { name, strategy: 'ring-all' });
    expect(created.status).toBe(201);
    expect(sys().deps.queues.dispatcher(created.body.id)?.queueConfig.strategy).toBe('ring-all');
    const carol = await idOf(sys(), 'users', 'carol');
    expect(
      (await admin.put(`/api/admin/queues/${created.body.id}/members/${carol}`, { penalty: 2 })).status,
    ).toBe(200);
    expect(sys().deps.agents.board.get(carol)?.queues.get(created.body.id)?.penalty).toBe(2);
    expect(sys().deps.queues.dispatcher(created.body.id)?.memberIds()).toEqual([carol]);
    expect((await admin.delete(`/api/admin/queues/${created.body.id}/members/${carol}`)).status).toBe(204);
    expect(sys().deps.agents.board.get(carol)?.queues.has(created.body.id)).toBe(false);
  });

  it('desk statistics: today and this month answered / not answered, waiting now, service level', async () => {
    const sales = await idOf(sys(), 'queues', 'sales');
    const alice = sys().client();
    await alice.login('alice');
    const before = (await alice.get(`/api/queues/${sales}/stats`)).body;
    expect(before.serviceLevel.thresholdS).toBe(20);
    const now = Date.now();
    const base = { type: 'inbound' as const, queue_id: sales, status: 'closed' as const };
    const tag = `stats-${now}`;
    await sys()
      .db.insertInto('calls')
      .values([
        {
          ...base,
          call_uuid: `${tag}-1`,
          started_at: now - 1000,
          answered_at: now - 1000 + 5_000,
          disposition: 'answered',
        },
        {
          ...base,
          call_uuid: `${tag}-2`,
          started_at: now - 1000,
          answered_at: now - 1000 + 60_000,
          disposition: 'answered',
        },
        { ...base, call_uuid: `${tag}-3`, started_at: now - 1000, disposition: 'unanswered' },
      ])
      .execute();
    cleanup.push(() => sys().db.deleteFrom('calls').where('call_uuid', 'like', `${tag}-%`).execute());
    enqueue(sales, '+15550004001');
    const after = (await alice.get(`/api/queues/${sales}/stats`)).body;
    expect(after.today.answered - before.today.answered).toBe(2);
    expect(after.today.notAnswered - before.today.notAnswered).toBe(1);
    expect(after.month.answered - before.month.answered).toBe(2);
    expect(after.month.notAnswered - before.month.notAnswered).toBe(1);
    expect(after.serviceLevel.answeredWithin - before.serviceLevel.answeredWithin).toBe(1);
    expect(after.serviceLevel.offered - before.serviceLevel.offered).toBe(3);
    expect(after.waitingNow).toBe(1);
    expect(after.longestWaitS).toBeGreaterThanOrEqual(0);
    const carol = sys().client();
    await carol.login('carol');
    expect((await carol.get(`/api/queues/${sales}/stats`)).status).toBe(403);
  });
});
