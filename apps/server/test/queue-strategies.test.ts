import { describe, expect, it } from 'vitest';
import { type Defer, deferrer } from './defer';
import { eventLog, queueAgent, queueCall, startSwitch } from './queue-harness';
import { allCallsEnded } from './switch-events';
import { cdrOf, type TestSystem } from './test-system';

/**
 * Delivery with real calls: sipp carriers call the sales DID 5550100; its members
 * alice and bob are sip.js agents with WebRTC media that answer and hang up after a moment (sam,
 * penalty 1, stays unregistered). Who gets which call is read from the CDR.
 */

async function salesSwitch(defer: Defer, queue: Record<string, number | string>) {
  const sys = await startSwitch(defer);
  await sys.db
    .updateTable('queues')
    .set({
      ring_timeout_s: 3,
      retry_delay_s: 0,
      wrapup_s: 0,
      max_no_answer: 0,
      max_wait_s: 0,
      announce_interval_s: 0,
      ...queue,
    })
    .where('name', '=', 'sales')
    .execute();
  await sys.deps.agents.reload();
  await sys.deps.queues.reload();
  const sales = await sys.db
    .selectFrom('queues')
    .select('id')
    .where('name', '=', 'sales')
    .executeTakeFirstOrThrow();
  return { sys, sales: sales.id, log: eventLog(defer, sys) };
}

/** One call after the other: each is answered and over (agent free again) before the next one. */
async function serveOneByOne(
  defer: Defer,
  sys: TestSystem,
  log: ReturnType<typeof eventLog>,
  sales: number,
  count: number,
): Promise<number[]> {
  const served: number[] = [];
  for (let i = 0; i < count; i++) {
    const { callId } = await queueCall(defer, sys, log, '5550100', sales);
    await log.find('call', (e) => e.callId === callId && e.state === 'answered');
    await allCallsEnded(sys, 8000);
    const cdr = await cdrOf(sys, callId);
    expect(cdr).toMatchObject({ queue_id: sales, disposition: 'answered' });
    served.push(cdr.agent_user_id!);
  }
  return served;
}

describe.concurrent('queue delivery by strategy, pause, wrap-up and reordering (sipp carrier, two sip.js agents)', () => {
  it('ring-all rings both agents at once; the first to answer gets the call, the other phone stops ringing', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, sales, log } = await salesSwitch(defer, { strategy: 'ring-all' });
    const alice = await queueAgent(defer, sys, 'alice');
    const bob = await queueAgent(defer, sys, 'bob', { mode: 'ring' });
    const { callId } = await queueCall(defer, sys, log, '5550100', sales);
    await log.find('call', (e) => e.callId === callId && e.state === 'answered');
    await allCallsEnded(sys, 8000);
    expect(alice.invites).toHaveLength(1);
    expect(bob.invites).toHaveLength(1);
    // Both INVITEs went out together (ring-all), not one after the other's timeout.
    expect(Math.abs(alice.invites[0]!.at - bob.invites[0]!.at)).toBeLessThan(1000);
    expect((await cdrOf(sys, callId)).agent_user_id).toBe(alice.userId);
    // bob's phone was CANCELled when alice won.
    await expect.poll(() => bob.invites[0]!.invitation.state, { timeout: 5000 }).toBe('Terminated');
  });

  it('longest-idle: the agent free the longest gets the call (bob registered first)', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, sales, log } = await salesSwitch(defer, { strategy: 'longest-idle' });
    const bob = await queueAgent(defer, sys, 'bob');
    const alice = await queueAgent(defer, sys, 'alice');
    expect(await serveOneByOne(defer, sys, log, sales, 3)).toEqual([bob.userId, alice.userId, bob.userId]);
  });

  it('round-robin remembers who had the last call: alice, bob, alice, bob although both are always free', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, sales, log } = await salesSwitch(defer, { strategy: 'round-robin' });
    // Registered bob first: longest-idle would start with him; round-robin goes by member order.
    const bob = await queueAgent(defer, sys, 'bob');
    const alice = await queueAgent(defer, sys, 'alice');
    expect(await serveOneByOne(defer, sys, log, sales, 4)).toEqual([
      alice.userId,
      bob.userId,
      alice.userId,
      bob.userId,
    ]);
  });

  it('fewest-calls: the agent with fewer answered calls gets the next one even if the other was idle longer', {
    timeout: 45_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, sales, log } = await salesSwitch(defer, { strategy: 'fewest-calls' });
    const alice = await queueAgent(defer, sys, 'alice');
    const bob = await queueAgent(defer, sys, 'bob');
    await bob.setState('paused', 'Break');
    expect(await serveOneByOne(defer, sys, log, sales, 2)).toEqual([alice.userId, alice.userId]);
    await bob.setState('idle');
    await alice.setState('paused', 'Break');
    expect(await serveOneByOne(defer, sys, log, sales, 1)).toEqual([bob.userId]);
    // alice has been idle longer (freed before bob), but has 2 calls to bob's 1.
    await alice.setState('idle');
    expect(await serveOneByOne(defer, sys, log, sales, 1)).toEqual([bob.userId]);
  });

  it('random: each call rings exactly one of the free agents, who answers it', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, sales, log } = await salesSwitch(defer, { strategy: 'random' });
    const alice = await queueAgent(defer, sys, 'alice');
    const bob = await queueAgent(defer, sys, 'bob');
    const served = await serveOneByOne(defer, sys, log, sales, 4);
    expect(alice.invites.length + bob.invites.length).toBe(4);
    expect(served.filter((u) => u === alice.userId)).toHaveLength(alice.invites.length);
    expect(served.filter((u) => u === bob.userId)).toHaveLength(bob.invites.length);
  });

  it('pause with a reason stops delivery to that agent; the call waits when everyone is paused', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, sales, log } = await salesSwitch(defer, { strategy: 'round-robin' });
    const alice = await queueAgent(defer, sys, 'alice');
    const bob = await queueAgent(defer, sys, 'bob');
    await alice.setState('paused', 'Lunch');
    // Round-robin would give alice every other call: paused, she gets none.
    expect(await serveOneByOne(defer, sys, log, sales, 2)).toEqual([bob.userId, bob.userId]);
    expect(alice.invites).toHaveLength(0);
    await bob.setState('paused', 'Meeting');
    const { callId } = await queueCall(defer, sys, log, '5550100', sales);
    // Delivery runs synchronously on arrival: nobody was rung.
    expect(sys.deps.queues.waiting(sales)).toMatchObject([{ call: { callId }, ringing: [] }]);
    expect(alice.invites.length + bob.invites.length).toBe(2);
    await alice.setState('idle');
    await log.find('call', (e) => e.callId === callId && e.state === 'ended');
    await allCallsEnded(sys);
    expect((await cdrOf(sys, callId)).agent_user_id).toBe(alice.userId);
  });

  it('wrap-up delays the next call: the waiting caller is offered to the agent only after the wrap-up time', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, sales, log } = await salesSwitch(defer, { strategy: 'longest-idle', wrapup_s: 1 });
    const alice = await queueAgent(defer, sys, 'alice', { talkMs: 1500 });
    const bob = await queueAgent(defer, sys, 'bob');
    await bob.setState('paused', 'Break');
    const first = await queueCall(defer, sys, log, '5550100', sales);
    await log.find('call', (e) => e.callId === first.callId && e.state === 'answered');
    // The second caller arrives while alice talks, and waits.
    const second = await queueCall(defer, sys, log, '5550100', sales);
    const ended = await log.find('call', (e) => e.callId === first.callId && e.state === 'ended');
    const wrapup = await log.find('agent_state', (e) => e.userId === alice.userId && e.status === 'wrapup');
    await log.find('call', (e) => e.callId === second.callId && e.state === 'ended');
    expect(alice.invites).toHaveLength(2);
    const gap = alice.invites[1]!.at - ended.at;
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(3000);
    expect(wrapup.at).toBeLessThanOrEqual(alice.invites[1]!.at);
    // The wrap-up's end was the free event that delivered the waiting call: one decision measured.
    const decisions = sys.deps.queues.deliveryDecisionsMs();
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toBeLessThan(50);
    await allCallsEnded(sys);
    expect((await cdrOf(sys, second.callId)).agent_user_id).toBe(alice.userId);
  });

  it('reordering the waiting list changes who is served next (supervisor moves the last caller to the top)', {
    timeout: 45_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, sales, log } = await salesSwitch(defer, { strategy: 'longest-idle' });
    const alice = await queueAgent(defer, sys, 'alice');
    const bob = await queueAgent(defer, sys, 'bob');
    await alice.setState('paused', 'Break');
    await bob.setState('paused', 'Break');
    const calls: string[] = [];
    for (let i = 0; i < 3; i++) calls.push((await queueCall(defer, sys, log, '5550100', sales)).callId);
    const [a, b, c] = calls as [string, string, string];
    const sam = sys.client();
    await sam.login('sam');
    const moved = await sam.post(`/api/queues/${sales}/waiting/${c}/position`, { move: 'top' });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ callId: c, position: 1 });
    // The desk's list shows the latest arrival on top; position 1 is served next.
    const list = (await sam.get(`/api/queues/${sales}/waiting`)).body.calls as Array<{
      callId: string;
      position: number;
    }>;
    expect(list.map((w) => [w.position, w.callId])).toEqual([
      [3, b],
      [2, a],
      [1, c],
    ]);
    await alice.setState('idle');
    for (const id of [c, a, b]) await log.find('call', (e) => e.callId === id && e.state === 'ended', 15_000);
    const answered = log.all.flatMap((e) =>
      e.type === 'queue_waiting' && e.change === 'answered' ? [e.callId] : [],
    );
    expect(answered).toEqual([c, a, b]);
    await allCallsEnded(sys);
    for (const id of calls) expect((await cdrOf(sys, id)).agent_user_id).toBe(alice.userId);
  });
});
