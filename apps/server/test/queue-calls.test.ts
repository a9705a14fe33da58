import { describe, expect, it } from 'vitest';
import { carrierCall } from './call-peers';
import { deferrer } from './defer';
import { daveAtDesk, ids, startSwitch } from './queue-harness';
import { registerWebAgent } from './sip-agents';
import { allCallsEnded, nextEvent } from './switch-events';
import { cdrOf } from './test-system';

/**
 * Inbound queue calls end to end: a sipp carrier calls the support queue's DID 5550101
 * (members carol — web, not registered here — and dave = desk phone 1004 as a sipp UAS).
 */

describe.concurrent('inbound queue calls (sipp carrier → support DID 5550101 → desk phone 1004)', () => {
  it('an idle agent gets the call: media, CDR with queue and agent, on call then wrap-up, events', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    await sys.db
      .updateTable('extensions')
      .set({ recording_enabled: 1 })
      .where('number', '=', '1004')
      .execute();
    const { dave, support } = await ids(sys);
    const { media, desk, client } = await daveAtDesk(defer, sys, 'answer');
    const seen: string[] = [];
    const off = sys.deps.events.subscribe({ userId: dave, role: 'agent' }, (p) => {
      const e = p.event;
      if (e.type === 'call') seen.push(`${e.state}:${e.queue ?? ''}`);
      if (e.type === 'agent_state' && e.userId === dave) seen.push(e.status);
    });
    defer(off);

    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    const answered = nextEvent(sys, 'call', (e) => e.state === 'answered');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 2500 });
    const callId = (await joined).callId;
    await answered;
    // The caller's audio reaches the agent's phone.
    await media.until(() => media.loud > 20, 8000);
    expect((await client.get('/api/agents/me/state')).body.status).toBe('on_call');
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(await desk.exited, desk.output).toBe(0);
    await allCallsEnded(sys);
    expect((await client.get('/api/agents/me/state')).body.status).toBe('wrapup');
    const cdr = await cdrOf(sys, callId);
    expect(cdr).toMatchObject({
      type: 'inbound',
      queue_id: support,
      agent_user_id: dave,
      disposition: 'answered',
      status: 'closed',
    });
    expect(cdr.answered_at).not.toBeNull();
    // The agent's extension records: the queue call is recorded.
    expect(cdr.recording_id).not.toBeNull();
    const rec = await sys.db
      .selectFrom('recordings')
      .selectAll()
      .where('id', '=', cdr.recording_id!)
      .executeTakeFirstOrThrow();
    expect(rec).toMatchObject({ agent_user_id: dave, status: 'complete' });
    expect(rec.duration_ms).toBeGreaterThan(500);
    expect(seen).toEqual(
      expect.arrayContaining(['ringing:support', 'answered:support', 'ended:support', 'on_call', 'wrapup']),
    );
    expect(seen.indexOf('ringing:support')).toBeLessThan(seen.indexOf('answered:support'));
    expect(seen.indexOf('on_call')).toBeLessThan(seen.indexOf('wrapup'));
  });

  it('a paused agent: the call waits (listed; a second caller gets busy at max length) until the agent goes idle', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { max_length: 1 });
    const { dave, support } = await ids(sys);
    const { media, desk, client } = await daveAtDesk(defer, sys, 'answer', { paused: 'Break' });

    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    const first = await carrierCall(defer, sys, {
      did: '5550101',
      expect: 200,
      talkMs: 9000,
      speakThroughout: true,
    });
    const callId = (await joined).callId;
    const list = await client.get(`/api/queues/${support}/waiting`);
    expect(list.status).toBe(200);
    expect(list.body.calls).toMatchObject([{ callId, callerNumber: expect.any(String), position: 1 }]);

    const second = await carrierCall(defer, sys, { did: '5550101', expect: 486 });
    expect(await second.exited, second.output).toBe(0);
    const busy = await sys.db
      .selectFrom('calls')
      .selectAll()
      .where('call_uuid', '!=', callId)
      .where('queue_id', '=', support)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(busy).toMatchObject({ disposition: 'busy', hangup_cause: 'queue_full', status: 'closed' });
    expect(desk.port).toBeGreaterThan(0);
    expect(media.audio).toBe(0);

    const answered = nextEvent(sys, 'queue_waiting', (e) => e.callId === callId && e.change === 'answered');
    expect((await client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    await answered;
    await media.until(() => media.audio > 20, 8000);
    expect((await client.get(`/api/queues/${support}/waiting`)).body.calls).toEqual([]);
    expect(await first.exited, first.output).toBe(0);
    expect(await desk.exited, desk.output).toBe(0);
    await allCallsEnded(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({
      queue_id: support,
      agent_user_id: dave,
      disposition: 'answered',
    });
  });

  it('the caller hangs up while waiting: CDR unanswered, the waiting list is empty', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const { support } = await ids(sys);
    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 800 });
    const callId = (await joined).callId;
    expect(sys.deps.queues.waiting(support).map((w) => w.call.callId)).toEqual([callId]);
    const abandoned = nextEvent(sys, 'queue_waiting', (e) => e.callId === callId && e.change === 'abandoned');
    expect(await carrier.exited, carrier.output).toBe(0);
    await abandoned;
    await allCallsEnded(sys);
    const client = sys.client();
    await client.login('sam');
    expect((await client.get(`/api/queues/${support}/waiting`)).body.calls).toEqual([]);
    expect(await cdrOf(sys, callId)).toMatchObject({
      type: 'inbound',
      queue_id: support,
      agent_user_id: null,
      disposition: 'unanswered',
      hangup_side: 'customer',
      status: 'closed',
    });
  });

  it('the agent does not answer within the ring timeout: CANCEL, a miss (auto-pause "missed")', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { ring_timeout_s: 1, max_no_answer: 1 });
    const { dave, support } = await ids(sys);
    const admin = sys.client();
    await admin.login('admin');
    const numberMasking = { mode: 'partial', keepFirst: 2, keepLast: 2, exemptSupervisors: true };
    expect((await admin.put('/api/admin/settings', { numberMasking })).status).toBe(200);
    // The phone shows the caller masked like the engine does for direct calls.
    const { desk } = await daveAtDesk(defer, sys, 'ring', {
      fromPattern: '^ *.?\\+12\\*{7}99.? *&lt;sip:\\+12\\*{7}99@',
    });
    const missed = nextEvent(sys, 'agent_state', (e) => e.userId === dave && e.status === 'paused');
    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 2500 });
    const callId = (await joined).callId;
    expect((await missed).reason).toBe('missed');
    // The desk phone saw the INVITE (with the queue header) and then our CANCEL.
    expect(await desk.exited, desk.output).toBe(0);
    expect(sys.deps.queues.waiting(support).map((w) => w.call.callId)).toEqual([callId]);
    expect(await carrier.exited, carrier.output).toBe(0);
    await allCallsEnded(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({ disposition: 'unanswered', agent_user_id: null });
  });

  it('a web agent (sip.js) who does not answer misses the call (auto-paused "missed"); the next agent gets it', {
    timeout: 25_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { ring_timeout_s: 1, max_no_answer: 1, retry_delay_s: 0 });
    const { dave, support } = await ids(sys);
    const carol = await sys.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'carol')
      .executeTakeFirstOrThrow();
    const queueHeaders: Array<string | undefined> = [];
    const web = await registerWebAgent(sys, 'carol', {
      delegate: { onInvite: (inv) => queueHeaders.push(inv.request.getHeader('X-Switchboard-Queue')) },
    });
    defer(() => web.stop());
    expect((await web.client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    const { media, desk } = await daveAtDesk(defer, sys, 'answer');

    const missed = nextEvent(sys, 'agent_state', (e) => e.userId === carol.id && e.status === 'paused');
    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    // Long enough for carol's ring-out and dave's answer on a busy machine before the caller hangs up.
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 7000 });
    const callId = (await joined).callId;
    // Round robin starts with carol (lowest id): her browser rings, she lets it ring out.
    expect((await missed).reason).toBe('missed');
    expect(queueHeaders).toEqual(['support']);
    await media.until(() => media.loud > 20, 8000);
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(await desk.exited, desk.output).toBe(0);
    await allCallsEnded(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({ agent_user_id: dave, disposition: 'answered' });
    expect((await web.client.get('/api/agents/me/state')).body).toMatchObject({
      status: 'paused',
      reason: 'missed',
    });
  });

  it('another member of the queue hears how many agents are available as dave registers, goes idle, pauses and rings', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { ring_timeout_s: 15 });
    const { carol, support } = await ids(sys);
    const counts: number[] = [];
    const off = sys.deps.events.subscribe({ userId: carol, role: 'agent' }, (p) => {
      if (p.event.type === 'queue_agents' && p.event.queueId === support)
        counts.push(p.event.agentsAvailable);
    });
    defer(off);
    let heardByOutsider = 0;
    const outsider = sys.deps.events.subscribe({ userId: 0, role: 'agent' }, (p) => {
      if (p.event.type === 'queue_agents') heardByOutsider++;
    });
    defer(outsider);

    const { client } = await daveAtDesk(defer, sys, 'ring');
    expect(counts.at(-1)).toBe(1);
    expect((await client.put('/api/agents/me/state', { status: 'paused', reason: 'Break' })).status).toBe(
      200,
    );
    expect(counts.at(-1)).toBe(0);
    expect((await client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    expect(counts.at(-1)).toBe(1);
    // An offer ringing dave takes him out of the count; the caller hanging up gives him back.
    const ringing = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'ringing');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 1200 });
    await ringing;
    expect(counts.at(-1)).toBe(0);
    expect(await carrier.exited, carrier.output).toBe(0);
    await allCallsEnded(sys);
    expect(counts.at(-1)).toBe(1);
    expect(sys.deps.queues.agentsAvailable(support)).toBe(1);
    // Only changes are published, and only to the queue's members (and supervisors).
    expect(counts.every((n, i) => i === 0 || n !== counts[i - 1])).toBe(true);
    expect(heardByOutsider).toBe(0);
  });

  it('the caller hangs up while the agent rings: the phone gets CANCEL and the agent is free again', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { ring_timeout_s: 15 });
    const { dave, support } = await ids(sys);
    const { desk, client } = await daveAtDesk(defer, sys, 'ring');
    const ringing = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'ringing');
    const abandoned = nextEvent(
      sys,
      'queue_waiting',
      (e) => e.queueId === support && e.change === 'abandoned',
    );
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 1200 });
    const callId = (await ringing).callId;
    expect(await carrier.exited, carrier.output).toBe(0);
    expect((await abandoned).callId).toBe(callId);
    // The desk phone saw INVITE, then our CANCEL (its scenario ends only after the CANCEL).
    expect(await desk.exited, desk.output).toBe(0);
    await allCallsEnded(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({ disposition: 'unanswered', agent_user_id: null });
    expect((await client.get('/api/agents/me/state')).body.status).toBe('idle');
    expect(sys.deps.agents.board.get(dave)?.onCall ?? null).toBeNull();
    // Not left reserved by the cancelled offer: available for the next caller.
    expect(sys.deps.queues.agentsAvailable(support)).toBe(1);
  });

  it('the agent declines (486): not a miss, the caller keeps waiting (retry delay) until hanging up', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { max_no_answer: 1, retry_delay_s: 30 });
    const { support } = await ids(sys);
    const { desk, client } = await daveAtDesk(defer, sys, 'busy');
    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 1500 });
    const callId = (await joined).callId;
    expect(await desk.exited, desk.output).toBe(0);
    // Declined: still waiting, dave idle (not auto-paused) and not offered it again meanwhile.
    expect(sys.deps.queues.waiting(support).map((w) => [w.call.callId, w.ringing])).toEqual([[callId, []]]);
    expect((await client.get('/api/agents/me/state')).body.status).toBe('idle');
    expect(await carrier.exited, carrier.output).toBe(0);
    await allCallsEnded(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({ disposition: 'unanswered', hangup_side: 'customer' });
    expect(sys.deps.queues.waitingCount(support)).toBe(0);
  });
});
