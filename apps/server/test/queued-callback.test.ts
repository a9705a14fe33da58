// Queued callback (virtual hold) end to end: a caller waiting in the support queue hears the offer,
// presses 1 (SIP INFO) and confirms or keys in a number, and leaves a callback placeholder in their
// place. sipp carriers are the customers called back; dave's sipp desk phone is the agent.
import type { LiveEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { MediaPeer } from './call-peers';
import { type Defer, deferrer } from './defer';
import {
  daveAtDesk,
  eventLog,
  ids,
  promptFrames,
  stackCaller,
  startQueueDesk,
  startSwitch,
} from './queue-harness';
import { refusingCarrier, startCarrier, trunksTo } from './script-peers';
import { customerHangsUp } from './sipp/uas-scenario';
import { allCallsEnded } from './switch-events';
import { cdrOf, loggedInAs, TestSystem } from './test-system';

const virtualHold = {
  virtual_hold: 1,
  virtual_hold_threshold_s: 0,
  virtual_hold_mode: 'customer_first',
  virtual_hold_max_attempts: 2,
  virtual_hold_retry_s: 1,
};

type Caller = Awaited<ReturnType<typeof stackCaller>>;

/** The caller waits for the offer, then types `keys` as SIP INFO (RFC 6086 dtmf-relay). */
async function takeOffer(caller: Caller, keys: string) {
  const offer = promptFrames('virtual-hold-offer').slice(0, 25);
  await caller.ear.until(() => caller.ear.indexOf(offer) >= 0, 20_000);
  for (const key of keys) {
    const res = await caller.dialog.info(`Signal=${key}\r\nDuration=160\r\n`, 'application/dtmf-relay');
    expect(res.status).toBe(200);
  }
}

async function placeholderOf(sys: TestSystem, originCallId: string) {
  return sys.db
    .selectFrom('queued_callbacks')
    .selectAll()
    .where('origin_call_uuid', '=', originCallId)
    .executeTakeFirstOrThrow();
}

function joinedIds(log: LiveEvent[], queueId: number): string[] {
  return log.flatMap((e) =>
    e.type === 'queue_waiting' && e.queueId === queueId && e.change === 'joined' ? [e.callId] : [],
  );
}

async function joinedCaller(defer: Defer, sys: TestSystem, log: ReturnType<typeof eventLog>, number: string) {
  const { support } = await ids(sys);
  const before = new Set(joinedIds(log.all, support));
  const caller = await stackCaller(defer, sys, '5550101', number);
  const joined = await log.find(
    'queue_waiting',
    (e) => e.queueId === support && e.change === 'joined' && !before.has(e.callId),
  );
  return { ...caller, callId: joined.callId };
}

describe('queued callback', () => {
  it('the caller keeps their place: the callback is served before two callers who came after', {
    timeout: 90_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, virtualHold);
    const { support, dave } = await ids(sys);
    const log = eventLog(defer, sys);
    // The customer called back answers, hears who is calling, talks to dave and hangs up.
    const customer = await startCarrier(defer, customerHangsUp(8000), { calls: 1, timeoutMs: 60_000 });
    await trunksTo(sys, [customer]);
    const desk = await daveAtDesk(defer, sys, 'answer', { paused: 'Break' });

    const first = await joinedCaller(defer, sys, log, '+12025550123');
    // 1 = call me back, 1 = at this number (typed ahead over the confirmation prompt).
    await takeOffer(first, '11');
    const left = await log.find('queue_waiting', (e) => e.callId === first.callId && e.change === 'callback');
    expect(left.position).toBeNull();
    expect(await first.ended).toBeTruthy();
    const kept = await placeholderOf(sys, first.callId);
    expect(kept).toMatchObject({ queue_id: support, number: '+12025550123', status: 'waiting', attempts: 0 });
    const placeholderId = `callback-${kept.id}`;
    const joined = await log.find(
      'queue_waiting',
      (e) => e.callId === placeholderId && e.change === 'joined',
    );
    expect(joined.position).toBe(1);
    await expect.poll(async () => (await cdrOf(sys, first.callId))?.hangup_cause).toBe('queued_callback');

    const second = await joinedCaller(defer, sys, log, '+12025550124');
    const third = await joinedCaller(defer, sys, log, '+12025550125');
    const admin = await loggedInAs(sys, 'admin');
    const list = async () =>
      (await admin.get(`/api/queues/${support}/waiting`)).body.calls as Array<{
        callId: string;
        position: number;
        callerNumber: string | null;
        callback: { id: number; status: string; attempts: number } | null;
      }>;
    const byPosition = (calls: Awaited<ReturnType<typeof list>>) =>
      [...calls].sort((a, b) => a.position - b.position).map((c) => c.callId);
    const waiting = await list();
    expect(byPosition(waiting)).toEqual([placeholderId, second.callId, third.callId]);
    expect(waiting.find((c) => c.callId === placeholderId)).toMatchObject({
      callerNumber: '+12025550123',
      callback: { id: kept.id, status: 'waiting', attempts: 0 },
    });
    expect(waiting.find((c) => c.callId === second.callId)?.callback).toBeNull();
    // Reordered like any caller: one down, then back to the top.
    const down = await admin.post(`/api/queues/${support}/waiting/${placeholderId}/position`, {
      move: 'down',
    });
    expect(down.body).toEqual({ callId: placeholderId, position: 2 });
    expect((await admin.get(`/api/queues/${support}/stats`)).body.waitingNow).toBe(3);
    const top = await admin.post(`/api/queues/${support}/waiting/${placeholderId}/position`, { move: 'top' });
    expect(top.body).toEqual({ callId: placeholderId, position: 1 });

    // dave is free: the placeholder at the head is served — the customer is dialled, takes its place
    // and dave's phone rings with them, while the two live callers keep waiting.
    const answered = log.find(
      'queue_waiting',
      (e) => e.queueId === support && e.change === 'answered' && e.callId !== placeholderId,
      45_000,
    );
    expect((await desk.client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    const served = await answered;
    expect([second.callId, third.callId]).not.toContain(served.callId);
    expect(byPosition(await list())).toEqual([second.callId, third.callId]);
    const callback = await cdrOf(sys, served.callId);
    expect(callback).toMatchObject({
      type: 'auto',
      service: 'queued_callback',
      customer_number: '+12025550123',
    });

    await expect
      .poll(async () => (await placeholderOf(sys, first.callId)).status, { timeout: 20_000 })
      .toBe('connected');
    const attempts = await sys.db
      .selectFrom('dialer_attempts')
      .select(['outcome', 'call_id'])
      .where('kind', '=', 'queued_callback')
      .where('subject_id', '=', kept.id)
      .execute();
    expect(attempts).toEqual([{ outcome: 'answered', call_id: callback!.id }]);
    await expect
      .poll(async () => (await cdrOf(sys, served.callId))?.status, { timeout: 20_000 })
      .toBe('closed');
    expect(await cdrOf(sys, served.callId)).toMatchObject({ disposition: 'answered', agent_user_id: dave });
    await second.dialog.bye();
    await third.dialog.bye();
    await allCallsEnded(sys, 15_000);
    expect(await desk.desk.exited).toBe(0);
  });
  it('a supervisor removes a waiting placeholder: it leaves the list, is never dialled, and the next caller is served', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, virtualHold);
    const { support, dave } = await ids(sys);
    const log = eventLog(defer, sys);
    const desk = await daveAtDesk(defer, sys, 'answer', { paused: 'Break' });
    const now = Date.now();
    const row = await sys.db
      .insertInto('queued_callbacks')
      .values({ queue_id: support, number: '+12025550177', joined_at: now, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await sys.deps.queuedCallbacks.restore()).toBe(1);
    const placeholderId = `callback-${row.id}`;
    const caller = await joinedCaller(defer, sys, log, '+12025550178');
    expect(sys.deps.queues.waiting(support).map((w) => w.call.callId)).toEqual([
      placeholderId,
      caller.callId,
    ]);

    const admin = await loggedInAs(sys, 'admin');
    const remove = (callId: string) => admin.delete(`/api/queues/${support}/waiting/${callId}`);
    expect((await desk.client.delete(`/api/queues/${support}/waiting/${placeholderId}`)).status).toBe(403);
    const live = await remove(caller.callId);
    expect(live.status).toBe(409);
    expect(live.body.error.message).toMatch(/Only a callback placeholder/);
    expect((await admin.delete(`/api/queues/999999/waiting/${placeholderId}`)).status).toBe(404);

    const dropped = log.find('queue_waiting', (e) => e.callId === placeholderId && e.change === 'dropped');
    expect((await remove(placeholderId)).status).toBe(204);
    await dropped;
    expect(sys.deps.queues.waiting(support).map((w) => w.call.callId)).toEqual([caller.callId]);
    expect(
      await sys.db
        .selectFrom('queued_callbacks')
        .select(['status', 'outcome', 'attempts'])
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'dropped', outcome: 'removed', attempts: 0 });
    const audited = await sys.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'queued_callback.remove')
      .execute();
    expect(audited).toEqual([{ action: 'queued_callback.remove', entity_id: placeholderId }]);
    expect((await remove(placeholderId)).status).toBe(404);

    // dave is free: the live caller behind it is served; the removed placeholder is never dialled.
    const answered = log.find(
      'queue_waiting',
      (e) => e.callId === caller.callId && e.change === 'answered',
      30_000,
    );
    expect((await desk.client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    await answered;
    const jobs = await sys.db
      .selectFrom('dialer_jobs')
      .select('id')
      .where('kind', '=', 'queued_callback')
      .where('subject_id', '=', row.id)
      .execute();
    expect(jobs).toEqual([]);
    await caller.dialog.bye();
    await allCallsEnded(sys, 15_000);
    await expect.poll(async () => (await cdrOf(sys, caller.callId))?.agent_user_id).toBe(dave);
    expect(await desk.desk.exited).toBe(0);
  });
  it('a supervisor reorders placeholders: a restart puts them back in that order, not in arrival order', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, virtualHold);
    const { support } = await ids(sys);
    // Three stored placeholders, in arrival order, put back in the queue nobody works now.
    const now = Date.now();
    const rows: number[] = [];
    for (const [i, number] of ['+12025550181', '+12025550182', '+12025550183'].entries()) {
      const row = await sys.db
        .insertInto('queued_callbacks')
        .values({ queue_id: support, number, joined_at: now + i, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      rows.push(row.id);
    }
    expect(await sys.deps.queuedCallbacks.restore()).toBe(3);
    const order = () => sys.deps.queues.waiting(support).map((w) => w.call.callback?.id);
    expect(order()).toEqual(rows);

    const sam = await loggedInAs(sys, 'sam');
    const moved = await sam.post(`/api/queues/${support}/waiting/callback-${rows[2]}/position`, {
      move: 'top',
    });
    expect(moved.status, moved.text).toBe(200);
    expect(order()).toEqual([rows[2], rows[0], rows[1]]);
    const stored = await sys.db
      .selectFrom('queued_callbacks')
      .select(['id', 'queue_order'])
      .where('id', 'in', rows)
      .orderBy('queue_order')
      .execute();
    expect(stored.map((r) => r.id)).toEqual([rows[2], rows[0], rows[1]]);

    // As after a restart: the list is empty and the stored placeholders are put back.
    for (const id of rows) sys.deps.queues.callbackServed(support, `callback-${id}`, { result: 'dropped' });
    expect(order()).toEqual([]);
    expect(await sys.deps.queuedCallbacks.restore()).toBe(3);
    expect(order()).toEqual([rows[2], rows[0], rows[1]]);
  });

  it('a starting node puts back its own and a dead node’s placeholders, never a live node’s', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, virtualHold);
    const { support } = await ids(sys);
    const now = Date.now();
    await sys.db
      .insertInto('node_heartbeats')
      .values([
        { node_id: 'node-alive', alive_at: now },
        { node_id: 'node-dead', alive_at: now - 60_000 },
      ])
      .execute();
    const rows: Record<string, number> = {};
    for (const [i, owner] of ['node-alive', 'node-dead', null, sys.deps.config.nodeId].entries()) {
      const row = await sys.db
        .insertInto('queued_callbacks')
        .values({
          queue_id: support,
          number: `+1202555019${i}`,
          node_id: owner,
          joined_at: now + i,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      rows[owner ?? 'none'] = row.id;
    }
    expect(await sys.deps.queuedCallbacks.restore()).toBe(3);
    expect(sys.deps.queues.waiting(support).map((w) => w.call.callback?.id)).toEqual([
      rows['node-dead'],
      rows.none,
      rows[sys.deps.config.nodeId],
    ]);
    const owners = await sys.db
      .selectFrom('queued_callbacks')
      .select(['id', 'node_id', 'status'])
      .where('id', 'in', Object.values(rows))
      .orderBy('id')
      .execute();
    expect(owners.map((o) => [o.node_id, o.status])).toEqual([
      ['node-alive', 'waiting'],
      [sys.deps.config.nodeId, 'waiting'],
      [sys.deps.config.nodeId, 'waiting'],
      [sys.deps.config.nodeId, 'waiting'],
    ]);
  });

  it('agent first: the kept agent answers, then the customer is dialled and bridged', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { ...virtualHold, virtual_hold_mode: 'agent_first' });
    const { support, dave } = await ids(sys);
    const log = eventLog(defer, sys);
    const customer = await startCarrier(defer, customerHangsUp(2000), { calls: 1, timeoutMs: 40_000 });
    await trunksTo(sys, [customer]);
    const desk = await daveAtDesk(defer, sys, 'answer', { paused: 'Break' });
    // A stored placeholder (as a restart finds it) is put back in its queue.
    const now = Date.now();
    const row = await sys.db
      .insertInto('queued_callbacks')
      .values({ queue_id: support, number: '+12025550166', joined_at: now, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await sys.deps.queuedCallbacks.restore()).toBe(1);
    const placeholderId = `callback-${row.id}`;
    expect(sys.deps.queues.waiting(support).map((w) => w.call.callId)).toEqual([placeholderId]);

    expect((await desk.client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    await log.find('queue_waiting', (e) => e.callId === placeholderId && e.change === 'answered', 30_000);
    await expect
      .poll(
        async () =>
          (
            await sys.db
              .selectFrom('queued_callbacks')
              .selectAll()
              .where('id', '=', row.id)
              .executeTakeFirstOrThrow()
          ).status,
        { timeout: 20_000 },
      )
      .toBe('connected');
    const attempt = await sys.db
      .selectFrom('dialer_attempts')
      .select(['outcome', 'call_id'])
      .where('kind', '=', 'queued_callback')
      .where('subject_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(attempt.outcome).toBe('answered');
    const legs = await sys.db
      .selectFrom('call_legs')
      .select(['role', 'disposition'])
      .where('call_id', '=', attempt.call_id!)
      .orderBy('id')
      .execute();
    // The agent's leg first, then the customer's.
    expect(legs).toEqual([
      { role: 'agent', disposition: 'answered' },
      { role: 'customer', disposition: 'answered' },
    ]);
    const cdr = await sys.db
      .selectFrom('calls')
      .selectAll()
      .where('id', '=', attempt.call_id!)
      .executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ service: 'queued_callback', queue_id: support, agent_user_id: dave });
    expect(await desk.desk.exited).toBe(0);
  });
});

describe.each(
  (['sqlite', 'postgres'] as const).filter((k) => k === 'sqlite' || process.env.TEST_DATABASE_URL),
)('queued callback [%s]', (kind) => {
  it('survives a restart, then retries a busy customer and drops the placeholder with the outcome', {
    timeout: 90_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const first = await TestSystem.start(kind, {}, { trunks: { optionsIntervalMs: 0 } });
    defer(() => first.stop());
    const { support } = await ids(first);
    const admin = await loggedInAs(first, 'admin');
    const bad = await admin.patch(`/api/admin/queues/${support}`, {
      virtualHold: { enabled: true, thresholdS: 0, mode: 'later', maxAttempts: 0, retryDelayS: 1 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('virtualHold.maxAttempts');
    const settings = { enabled: true, thresholdS: 0, mode: 'customer_first', maxAttempts: 2, retryDelayS: 1 };
    const res = await admin.patch(`/api/admin/queues/${support}`, {
      virtualHold: settings,
      announceIntervalS: 0,
    });
    expect(res.status).toBe(200);
    const queues = (await admin.get('/api/admin/queues')).body.queues as Array<{
      id: number;
      virtualHold: unknown;
    }>;
    expect(queues.find((q) => q.id === support)?.virtualHold).toEqual(settings);
    // Carrier calls come from 127.0.0.1 (the trunk's address).
    await trunksTo(first, [{ port: 9 }]);
    const log = eventLog(defer, first);
    const caller = await joinedCaller(defer, first, log, '+12025550123');
    // 1 = call me back, 2 = at another number: 2025550188#.
    await takeOffer(caller, '12');
    await caller.ear.until(
      () => caller.ear.indexOf(promptFrames('virtual-hold-enter-number').slice(0, 25)) >= 0,
      20_000,
    );
    for (const key of '2025550188#')
      await caller.dialog.info(`Signal=${key}\r\nDuration=160\r\n`, 'application/dtmf-relay');
    await caller.ended;
    const kept = await placeholderOf(first, caller.callId);
    expect(kept).toMatchObject({ number: '+12025550188', status: 'waiting' });

    // The process stops; the next one on the same database has the place back in the queue.
    await first.system.stop();
    const database = first.system.deps.config.database;
    const second = await TestSystem.start(
      kind,
      { DATABASE_URL: database.kind === 'sqlite' ? `sqlite:${database.file}` : database.url },
      { trunks: { optionsIntervalMs: 0 } },
    );
    defer(() => second.stop());
    const placeholderId = `callback-${kept.id}`;
    expect(second.deps.queues.waiting(support).map((w) => w.call.callId)).toEqual([placeholderId]);

    // The customer is busy each time: two dials 1 s apart, then the placeholder is dropped.
    const busy = await startCarrier(defer, refusingCarrier('486 Busy Here'), { calls: 2, timeoutMs: 60_000 });
    await trunksTo(second, [busy]);
    const events = eventLog(defer, second);
    const media = await MediaPeer.start();
    defer(() => media.close());
    await startQueueDesk(defer, second, 'answer', media.port);
    const dave = await loggedInAs(second, 'dave');
    expect((await dave.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    const dropped = await events.find(
      'queue_waiting',
      (e) => e.callId === placeholderId && e.change === 'dropped',
      45_000,
    );
    expect(dropped.waiting).toBe(0);
    // Between the two dials it waited in its place again.
    expect(
      events.all
        .filter((e) => e.type === 'queue_waiting' && e.callId === placeholderId)
        .map((e) => e.type === 'queue_waiting' && e.change),
    ).toEqual(['ringing', 'moved', 'ringing', 'dropped']);
    await expect
      .poll(async () => await placeholderOf(second, caller.callId), { timeout: 10_000 })
      .toMatchObject({ status: 'dropped', outcome: 'busy', attempts: 2 });
    const attempts = await second.db
      .selectFrom('dialer_attempts')
      .innerJoin('calls', 'calls.id', 'dialer_attempts.call_id')
      .select(['dialer_attempts.outcome', 'calls.service', 'calls.customer_number'])
      .where('dialer_attempts.kind', '=', 'queued_callback')
      .where('dialer_attempts.subject_id', '=', kept.id)
      .execute();
    expect(attempts).toEqual([
      { outcome: 'busy', service: 'queued_callback', customer_number: '+12025550188' },
      { outcome: 'busy', service: 'queued_callback', customer_number: '+12025550188' },
    ]);
    // dave was kept for each dial and is free again.
    await expect.poll(() => second.deps.queues.agentsAvailable(support), { timeout: 5000 }).toBe(1);
  });
});
