// Callback placeholders of a node that stopped while the others run: a running node takes them over
// (by the dead node's heartbeat), puts each among its own waiting callers by arrival, leaves one whose
// dial is still leased until the lease ran out, and never dials a placeholder another node holds.
// Placeholder rows and their dialer jobs are written as the stopped node left them.

import { describe, expect, it } from 'vitest';
import type { DialerJobStatus, QueuedCallbackStatus } from '../src/db/schema';
import { QUEUED_CALLBACK_JOB } from '../src/queued-callbacks/queued-callbacks';
import { deferrer } from './defer';
import { eventLog } from './queue-harness';
import { describeEachDatabase, startTwoNodes, type TestSystem, userId } from './test-system';

const HOUR = 3_600_000;

async function supportQueue(sys: TestSystem): Promise<number> {
  const row = await sys.db
    .selectFrom('queues')
    .select('id')
    .where('name', '=', 'support')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A stored placeholder of `node`, its caller arrived `agoMs` before `now`. */
async function placeholder(
  sys: TestSystem,
  queueId: number,
  node: string,
  agoMs: number,
  now: number,
  status: QueuedCallbackStatus = 'waiting',
): Promise<number> {
  const row = await sys.db
    .insertInto('queued_callbacks')
    .values({
      queue_id: queueId,
      number: `+1202555${String(agoMs).padStart(4, '0').slice(-4)}`,
      node_id: node,
      status,
      joined_at: now - agoMs,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The placeholder's dial as its node left it; due in an hour, so no dialer here claims it meanwhile. */
async function dialJob(
  sys: TestSystem,
  queueId: number,
  subject: number,
  now: number,
  status: DialerJobStatus,
  leaseUntil: number | null = null,
): Promise<void> {
  await sys.db
    .insertInto('dialer_jobs')
    .values({
      kind: QUEUED_CALLBACK_JOB,
      subject_id: subject,
      number: '+12025550100',
      payload: JSON.stringify({ queueId, userId: 1, callId: `callback-${subject}` }),
      due_at: now + HOUR,
      status,
      lease_owner: leaseUntil === null ? null : 'node-dead',
      lease_until: leaseUntil,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

function waitingIds(sys: TestSystem, queueId: number) {
  return sys.deps.queues.waiting(queueId).map((w) => w.call.callback?.id ?? w.call.callId);
}

async function rowsOf(sys: TestSystem, ids: number[]) {
  const rows = await sys.db
    .selectFrom('queued_callbacks')
    .select(['id', 'node_id', 'status', 'outcome'])
    .where('id', 'in', ids)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.id, [r.node_id, r.status, r.outcome]]));
}

describeEachDatabase('placeholders of a stopped node', (system) => {
  it('a running node takes them over among its own callers by arrival; a leased dial first runs out', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = system();
    const me = sys.deps.config.nodeId;
    const adoption = sys.deps.queuedCallbacks;
    // Adoption is driven by hand below, then by its timer at the end.
    await adoption.stop();
    defer(() => adoption.stop());
    const log = eventLog(defer, sys);
    const support = await supportQueue(sys);
    const now = Date.now();
    await sys.db
      .insertInto('node_heartbeats')
      .values([
        { node_id: 'node-alive', alive_at: now + HOUR },
        { node_id: 'node-dead', alive_at: now - 60_000 },
      ])
      .execute();

    // This node's own placeholder is already waiting here.
    const mine = await placeholder(sys, support, me, 2000, now);
    expect(
      sys.deps.queues.restorePlaceholder(
        support,
        {
          callId: `callback-${mine}`,
          callerNumber: '+12025552000',
          callerName: null,
          callback: { id: mine },
        },
        now - 2000,
        0,
      ),
    ).toBe(true);
    const early = await placeholder(sys, support, 'node-dead', 5000, now);
    const late = await placeholder(sys, support, 'node-dead', 0, now);
    // Served on the dead node, its dial not yet claimed: cancelled, the placeholder waits again.
    const served = await placeholder(sys, support, 'node-dead', 3000, now, 'calling');
    await dialJob(sys, support, served, now, 'pending');
    // Being dialled under a lease that has not run out: the dead node may be ringing the customer.
    const leased = await placeholder(sys, support, 'node-dead', 4000, now, 'calling');
    await dialJob(sys, support, leased, now, 'dialling', now + HOUR);
    // Its dial was interrupted: the customer may have been rung, the place is not kept.
    const cut = await placeholder(sys, support, 'node-dead', 1000, now, 'calling');
    await dialJob(sys, support, cut, now, 'interrupted');
    const othersLive = await placeholder(sys, support, 'node-alive', 6000, now);

    expect(await adoption.adoptDead()).toBe(3);
    expect(waitingIds(sys, support)).toEqual([early, served, mine, late]);
    expect(await rowsOf(sys, [early, late, served, leased, cut, othersLive])).toEqual({
      [early]: [me, 'waiting', null],
      [late]: [me, 'waiting', null],
      [served]: [me, 'waiting', null],
      [leased]: ['node-dead', 'calling', null],
      [cut]: [me, 'dropped', 'interrupted'],
      [othersLive]: ['node-alive', 'waiting', null],
    });
    const servedJob = await sys.db
      .selectFrom('dialer_jobs')
      .select('status')
      .where('subject_id', '=', served)
      .executeTakeFirstOrThrow();
    expect(servedJob.status).toBe('cancelled');
    // Nothing is taken twice.
    expect(await adoption.adoptDead()).toBe(0);

    // The lease runs out before the INVITE was sent: the dialer puts the job back, and the timer's
    // next look takes the placeholder over in its caller's place.
    await sys.db
      .updateTable('dialer_jobs')
      .set({ lease_until: Date.now() - 1 })
      .where('subject_id', '=', leased)
      .execute();
    expect((await sys.deps.dialer.jobs.recoverExpired(Date.now(), [QUEUED_CALLBACK_JOB])).recovered).toEqual(
      [],
    );
    adoption.start(20);
    await log.find('queue_waiting', (e) => e.callId === `callback-${leased}` && e.change === 'joined');
    expect(waitingIds(sys, support)).toEqual([early, leased, served, mine, late]);
    expect((await rowsOf(sys, [leased]))[leased]).toEqual([me, 'waiting', null]);
  });

  it('a placeholder another node took over is not dialled from here', async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = system();
    const log = eventLog(defer, sys);
    const support = await supportQueue(sys);
    const now = Date.now();
    const taken = await placeholder(sys, support, 'node-alive', 7000, now);
    const call = {
      callId: `callback-${taken}`,
      callerNumber: '+12025557000',
      callerName: null,
      callback: { id: taken },
    };
    expect(sys.deps.queues.restorePlaceholder(support, call, now - 7000, 0)).toBe(true);
    sys.deps.queuedCallbacks.serve(call, support, await userId(sys, 'dave'));
    await log.find('queue_waiting', (e) => e.callId === call.callId && e.change === 'dropped');
    expect(waitingIds(sys, support)).not.toContain(taken);
    const jobs = await sys.db
      .selectFrom('dialer_jobs')
      .select('id')
      .where('subject_id', '=', taken)
      .execute();
    expect(jobs).toEqual([]);
    expect((await rowsOf(sys, [taken]))[taken]).toEqual(['node-alive', 'waiting', null]);
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;
const suite = pgUrl ? describe : describe.skip;
suite(`placeholders adopted by two nodes at once${pgUrl ? '' : ' — skipped: set TEST_DATABASE_URL to run'}`, () => {
  it('each dead node’s placeholder is taken by exactly one running node', async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const [nodeA, nodeB] = await startTwoNodes(defer);
    for (const node of [nodeA, nodeB]) await node.deps.queuedCallbacks.stop();
    const support = await supportQueue(nodeA);
    await nodeB.deps.queues.reload();
    const now = Date.now();
    await nodeA.db
      .insertInto('node_heartbeats')
      .values({ node_id: 'node-dead', alive_at: now - 60_000 })
      .execute();
    const orphans: number[] = [];
    for (let i = 0; i < 40; i++) orphans.push(await placeholder(nodeA, support, 'node-dead', 9000 - i, now));

    const [byA, byB] = await Promise.all([
      nodeA.deps.queuedCallbacks.adoptDead(),
      nodeB.deps.queuedCallbacks.adoptDead(),
    ]);
    expect(byA + byB).toBe(orphans.length);
    const inA = waitingIds(nodeA, support);
    const inB = waitingIds(nodeB, support);
    expect([...inA, ...inB].sort((a, b) => Number(a) - Number(b))).toEqual(orphans);
    const owners = await nodeA.db
      .selectFrom('queued_callbacks')
      .select(['id', 'node_id'])
      .where('id', 'in', orphans)
      .execute();
    for (const o of owners) expect(o.node_id).toBe(inA.includes(o.id) ? 'node-a' : 'node-b');
  });
});
