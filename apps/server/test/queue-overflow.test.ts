import { describe, expect, it } from 'vitest';
import { carrierCall } from './call-peers';
import { deferrer } from './defer';
import {
  collectEvents,
  daveAtDesk,
  ids,
  promptFrames,
  stackCaller,
  stackInvite,
  startSwitch,
} from './queue-harness';
import { allCallsEnded, callsEnded, nextEvent } from './switch-events';
import { cdrOf } from './test-system';

/** Overflow after max wait: hang up with a message, ring an extension, move to another queue. */
describe.concurrent('queue overflow after max wait (real calls into the support DID 5550101)', () => {
  it('"hang up with a message": hold music, then the whole busy message, then our BYE; CDR unanswered/queue_max_wait', {
    timeout: 25_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { max_wait_s: 2, overflow_type: 'hangup', overflow_target: null });
    const { support } = await ids(sys);
    const overflow = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'overflow');
    const caller = await stackCaller(defer, sys, '5550101');
    const callId = (await overflow).callId;
    expect(await caller.ended).toBe('bye received');
    const music = promptFrames('hold-music');
    const message = promptFrames('agents-busy-call-later');
    const at = caller.ear.indexOf(message);
    // Music while waiting, the message complete and uninterrupted, and nothing after it: BYE.
    expect(caller.ear.indexOf(music.slice(0, 25))).toBeGreaterThanOrEqual(0);
    expect(caller.ear.indexOf(music.slice(0, 25))).toBeLessThan(at);
    expect(at).toBeGreaterThan(0);
    expect(caller.ear.frames.length - (at + message.length)).toBeLessThan(3);
    await allCallsEnded(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({
      queue_id: support,
      disposition: 'unanswered',
      hangup_cause: 'queue_max_wait',
      hangup_side: 'system',
      transfer_chain: null,
    });
  });

  it('max length reached with overflow "hang up": the new caller hears the busy message as early media (183), then 486', {
    timeout: 25_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { max_length: 1, overflow_type: 'hangup', overflow_target: null });
    const { support } = await ids(sys);
    const first = await stackCaller(defer, sys, '5550101', '+12025550123');
    expect(sys.deps.queues.waitingCount(support)).toBe(1);
    const second = await stackInvite(defer, sys, '5550101', '+12025550124');
    const { response } = await second.done;
    expect(response.status).toBe(486);
    expect(second.progress).toContain(183);
    // The whole message arrived before the 486, and nothing of the hold music.
    expect(second.ear.indexOf(promptFrames('agents-busy-call-later'))).toBeGreaterThanOrEqual(0);
    expect(second.ear.indexOf(promptFrames('hold-music').slice(0, 5))).toBe(-1);
    // The waiting caller was not disturbed.
    expect(sys.deps.queues.waitingCount(support)).toBe(1);
    await callsEnded(sys, (c) => c.init.callerNumber === '+12025550124');
    const busy = await sys.db
      .selectFrom('calls')
      .selectAll()
      .where('queue_id', '=', support)
      .where('caller_number', '=', '+12025550124')
      .executeTakeFirstOrThrow();
    expect(busy).toMatchObject({
      disposition: 'busy',
      hangup_cause: 'queue_full',
      status: 'closed',
      caller_number: '+12025550124',
    });
    await first.dialog.bye();
    await allCallsEnded(sys);
  });

  it('overflow to another queue: the caller leaves support and joins "escalation", whose agent answers; the CDR keeps support and records the overflow', {
    timeout: 25_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const { dave, support } = await ids(sys);
    const escalation = await sys.db
      .insertInto('queues')
      .values({ name: 'escalation', created_at: Date.now(), announce_interval_s: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    // dave serves only escalation; support has nobody registered, so its caller overflows after 1 s.
    await sys.db.deleteFrom('queue_members').where('user_id', '=', dave).execute();
    await sys.db.insertInto('queue_members').values({ queue_id: escalation.id, user_id: dave }).execute();
    await sys.db
      .updateTable('queues')
      .set({ max_wait_s: 1, overflow_type: 'queue', overflow_target: String(escalation.id) })
      .where('id', '=', support)
      .execute();
    await sys.deps.agents.reload();
    await sys.deps.queues.reload();
    // The offer comes from escalation (the phone's X-Switchboard-Queue says so).
    const { media, desk, client } = await daveAtDesk(defer, sys, 'answer', {
      paused: 'Break',
      queue: 'escalation',
    });
    const events = collectEvents(defer, sys, 'queue_waiting');

    const joined = nextEvent(
      sys,
      'queue_waiting',
      (e) => e.queueId === escalation.id && e.change === 'joined',
    );
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 3500 });
    const callId = (await joined).callId;
    expect(sys.deps.queues.waiting(escalation.id).map((w) => w.call.callId)).toEqual([callId]);
    expect(sys.deps.queues.waitingCount(support)).toBe(0);
    expect(media.audio).toBe(0);
    // dave becomes available: escalation delivers the call to him.
    const answered = nextEvent(sys, 'queue_waiting', (e) => e.callId === callId && e.change === 'answered');
    expect((await client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    await answered;
    await media.until(() => media.loud > 20, 8000);
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(await desk.exited, desk.output).toBe(0);
    await allCallsEnded(sys);
    expect(events.filter((e) => e.callId === callId).map((e) => `${e.queueId}:${e.change}`)).toEqual([
      `${support}:joined`,
      `${support}:overflow`,
      `${escalation.id}:joined`,
      `${escalation.id}:ringing`,
      `${escalation.id}:answered`,
    ]);
    const cdr = await cdrOf(sys, callId);
    expect(cdr).toMatchObject({ queue_id: support, agent_user_id: dave, disposition: 'answered' });
    expect(JSON.parse(cdr.transfer_chain!)).toEqual([
      { kind: 'overflow', fromQueueId: support, toQueueId: escalation.id, at: expect.any(Number) },
    ]);
  });

  it('overflow to an extension rings it (1004) and bridges the caller', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { max_wait_s: 1 });
    await sys.db
      .updateTable('queues')
      .set({ overflow_type: 'extension', overflow_target: '1004' })
      .where('name', '=', 'support')
      .execute();
    await sys.deps.queues.reload();
    const { dave, support } = await ids(sys);
    // Paused for the queue: the ACD does not offer the call, only the overflow rings the phone.
    const { media, desk } = await daveAtDesk(defer, sys, 'answer', { paused: 'Break' });
    const overflow = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'overflow');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 3500 });
    const callId = (await overflow).callId;
    expect(media.audio).toBe(0);
    await media.until(() => media.loud > 20, 8000);
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(await desk.exited, desk.output).toBe(0);
    await allCallsEnded(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({
      queue_id: support,
      agent_user_id: dave,
      disposition: 'answered',
    });
  });
});
