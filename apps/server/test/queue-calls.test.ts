import { readFileSync, writeFileSync } from 'node:fs';
import type { LiveEvent } from '@switchboard/shared';
import { SipStack } from '@switchboard/sip';
import { describe, expect, it } from 'vitest';
import {
  type CarrierCallOptions,
  carrierScenario,
  type DeskMode,
  deskPhoneScenario,
  MediaPeer,
  registerContact,
} from './call-peers';
import { freePort, registerWebAgent, type SippProcess, startSipp } from './sip-agents';
import { TestSystem } from './test-system';

/**
 * Inbound queue calls end to end (issue 6): a sipp carrier calls the support queue's DID 5550101
 * (members carol — web, not registered here — and dave = desk phone 1004 as a sipp UAS).
 */

type Defer = (fn: () => Promise<unknown> | unknown) => void;

let rtpBase = 45000 + (process.pid % 50) * 100;
async function startSwitch(defer: Defer, queue: Record<string, number> = {}): Promise<TestSystem> {
  const min = rtpBase;
  rtpBase += 100;
  const sys = await TestSystem.start(
    'sqlite',
    { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(min), RTP_PORT_MAX: String(min + 99) },
    { trunks: { optionsIntervalMs: 0 } },
  );
  defer(() => sys.stop());
  if (Object.keys(queue).length > 0) {
    await sys.db.updateTable('queues').set(queue).where('name', '=', 'support').execute();
    await sys.deps.queues.reload();
  }
  return sys;
}

function carrierCall(defer: Defer, sys: TestSystem, o: CarrierCallOptions): Promise<SippProcess> {
  return freePort().then(async (mp) => {
    const carrier = await startSipp({
      scenario: carrierScenario(o),
      transport: 'udp',
      remote: `127.0.0.1:${sys.sipPort}`,
      timeoutMs: 20_000,
      args: ['-s', o.did, '-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-trace_err'],
    });
    defer(() => {
      carrier.kill();
      return carrier.exited;
    });
    return carrier;
  });
}

/** Desk phone 1004 (sipp UAS) that also checks the INVITE names the queue in X-Switchboard-Queue. */
async function startQueueDesk(
  defer: Defer,
  sys: TestSystem,
  mode: DeskMode,
  mediaPort: number,
  fromPattern = '',
) {
  const file = deskPhoneScenario(mode, mediaPort);
  const fromCheck = fromPattern
    ? `<ereg regexp="${fromPattern}" search_in="hdr" header="From:" check_it="true" assign_to="f" />`
    : '';
  const fromLog = fromPattern ? ' from [$f]' : '';
  const xml = readFileSync(file, 'utf8').replace(
    '<recv request="INVITE" />',
    `<recv request="INVITE"><action><ereg regexp="^ *support$" search_in="hdr" header="X-Switchboard-Queue:" check_it="true" assign_to="q" />${fromCheck}</action></recv><nop><action><log message="queue [$q]${fromLog}" /></action></nop>`,
  );
  writeFileSync(file, xml);
  const desk = await startSipp({
    scenario: file,
    transport: 'udp',
    timeoutMs: 30_000,
    args: ['-m', '1', '-trace_err'],
  });
  defer(() => {
    desk.kill();
    return desk.exited;
  });
  const reg = await registerContact(sys, desk.port);
  defer(() => reg.close());
  return desk;
}

/** Resolves with the first event `test` accepts (seen by an admin), or rejects after `timeoutMs`. */
function nextEvent<T extends LiveEvent['type']>(
  sys: TestSystem,
  type: T,
  test: (e: Extract<LiveEvent, { type: T }>) => boolean,
  timeoutMs = 8000,
): Promise<Extract<LiveEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(new Error(`no ${type} event in time`));
    }, timeoutMs);
    const off = sys.deps.events.subscribe({ userId: 0, role: 'admin' }, (p) => {
      const e = p.event;
      if (e.type !== type || !test(e as Extract<LiveEvent, { type: T }>)) return;
      clearTimeout(t);
      off();
      resolve(e as Extract<LiveEvent, { type: T }>);
    });
  });
}

/** Waits until the engine has no call in progress (the CDR is then closed). */
async function idle(sys: TestSystem, timeoutMs = 5000) {
  const engine = sys.deps.calls!;
  if (engine.activeCount === 0) return;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('calls still active')), timeoutMs);
    const off = engine.onCallEnded(() => {
      if (engine.activeCount > 0) return;
      clearTimeout(t);
      off();
      resolve();
    });
  });
}

async function ids(sys: TestSystem) {
  const dave = await sys.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'dave')
    .executeTakeFirstOrThrow();
  const support = await sys.db
    .selectFrom('queues')
    .select('id')
    .where('name', '=', 'support')
    .executeTakeFirstOrThrow();
  return { dave: dave.id, support: support.id };
}

async function cdrOf(sys: TestSystem, callId: string) {
  return sys.db.selectFrom('calls').selectAll().where('call_uuid', '=', callId).executeTakeFirstOrThrow();
}

function deferFor(onTestFinished: (fn: () => Promise<void>) => void): Defer {
  return (fn) =>
    onTestFinished(async () => {
      await fn();
    });
}

describe.concurrent('inbound queue calls (sipp carrier → support DID 5550101 → desk phone 1004)', () => {
  it('an idle agent gets the call: media, CDR with queue and agent, on call then wrap-up, events', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferFor(onTestFinished);
    const sys = await startSwitch(defer);
    await sys.db
      .updateTable('extensions')
      .set({ recording_enabled: 1 })
      .where('number', '=', '1004')
      .execute();
    const { dave, support } = await ids(sys);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startQueueDesk(defer, sys, 'answer', media.port);
    const client = sys.client();
    await client.login('dave');
    expect((await client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
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
    await idle(sys);
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
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferFor(onTestFinished);
    const sys = await startSwitch(defer, { max_length: 1 });
    const { dave, support } = await ids(sys);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startQueueDesk(defer, sys, 'answer', media.port);
    const client = sys.client();
    await client.login('dave');
    expect((await client.put('/api/agents/me/state', { status: 'paused', reason: 'Break' })).status).toBe(
      200,
    );

    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    const first = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 4000 });
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
    await idle(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({
      queue_id: support,
      agent_user_id: dave,
      disposition: 'answered',
    });
  });

  it('the caller hangs up while waiting: CDR unanswered, the waiting list is empty', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferFor(onTestFinished);
    const sys = await startSwitch(defer);
    const { support } = await ids(sys);
    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 800 });
    const callId = (await joined).callId;
    expect(sys.deps.queues.waiting(support).map((w) => w.call.callId)).toEqual([callId]);
    const abandoned = nextEvent(sys, 'queue_waiting', (e) => e.callId === callId && e.change === 'abandoned');
    expect(await carrier.exited, carrier.output).toBe(0);
    await abandoned;
    await idle(sys);
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
    const defer = deferFor(onTestFinished);
    const sys = await startSwitch(defer, { ring_timeout_s: 1, max_no_answer: 1 });
    const { dave, support } = await ids(sys);
    const admin = sys.client();
    await admin.login('admin');
    const numberMasking = { mode: 'partial', keepFirst: 2, keepLast: 2, exemptSupervisors: true };
    expect((await admin.put('/api/admin/settings', { numberMasking })).status).toBe(200);
    const media = await MediaPeer.start();
    defer(() => media.close());
    // The phone shows the caller masked like the engine does for direct calls.
    const desk = await startQueueDesk(
      defer,
      sys,
      'ring',
      media.port,
      '^ *.?\\+12\\*{7}99.? *&lt;sip:\\+12\\*{7}99@',
    );
    const client = sys.client();
    await client.login('dave');
    expect((await client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    const missed = nextEvent(sys, 'agent_state', (e) => e.userId === dave && e.status === 'paused');
    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 2500 });
    const callId = (await joined).callId;
    expect((await missed).reason).toBe('missed');
    // The desk phone saw the INVITE (with the queue header) and then our CANCEL.
    expect(await desk.exited, desk.output).toBe(0);
    expect(sys.deps.queues.waiting(support).map((w) => w.call.callId)).toEqual([callId]);
    expect(await carrier.exited, carrier.output).toBe(0);
    await idle(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({ disposition: 'unanswered', agent_user_id: null });
  });

  it('the caller hears hold music while waiting; max wait with overflow "hang up" ends the call with BYE', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferFor(onTestFinished);
    const sys = await startSwitch(defer, { max_wait_s: 2 });
    await sys.db
      .updateTable('queues')
      .set({ overflow_type: 'hangup', overflow_target: null })
      .where('name', '=', 'support')
      .execute();
    await sys.deps.queues.reload();
    const { support } = await ids(sys);
    // The carrier as a SIP stack in the test (same address as the trunk), its RTP going to a peer here.
    const ear = await MediaPeer.start();
    ear.echo = false;
    defer(() => ear.close());
    const carrier = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'] });
    defer(() => carrier.close());
    const offer = [
      'v=0',
      'o=carrier 1 1 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${ear.port} RTP/AVP 0`,
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      '',
    ].join('\r\n');
    const overflow = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'overflow');
    const invite = carrier.invite(
      carrier.createRequest('INVITE', `sip:5550101@127.0.0.1:${sys.sipPort}`, {
        from: '<sip:+12025550123@127.0.0.1>',
        to: '<sip:5550101@127.0.0.1>',
        body: offer,
        contentType: 'application/sdp',
      }),
    );
    const { response, dialog } = await invite.done;
    expect(response.status).toBe(200);
    expect(response.bodyText).toMatch(/m=audio \d+ RTP\/AVP 0/);
    const ended = new Promise<string>((resolve) => {
      dialog!.onTerminated = resolve;
    });
    // Hold music (not silence) reaches the caller while no agent is there.
    await ear.until(() => ear.loud > 25, 5000);
    expect(sys.deps.queues.waitingCount(support)).toBe(1);
    const callId = (await overflow).callId;
    expect(await ended).toBe('bye received');
    await idle(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({
      queue_id: support,
      disposition: 'unanswered',
      hangup_cause: 'queue_max_wait',
      hangup_side: 'system',
    });
  });

  it('max wait with overflow to an extension rings it (1004) and bridges the caller', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferFor(onTestFinished);
    const sys = await startSwitch(defer, { max_wait_s: 1 });
    await sys.db
      .updateTable('queues')
      .set({ overflow_type: 'extension', overflow_target: '1004' })
      .where('name', '=', 'support')
      .execute();
    await sys.deps.queues.reload();
    const { dave, support } = await ids(sys);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startQueueDesk(defer, sys, 'answer', media.port);
    // Paused for the queue: the ACD does not offer the call, only the overflow rings the phone.
    const client = sys.client();
    await client.login('dave');
    expect((await client.put('/api/agents/me/state', { status: 'paused', reason: 'Break' })).status).toBe(
      200,
    );
    const overflow = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'overflow');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 3500 });
    const callId = (await overflow).callId;
    expect(media.audio).toBe(0);
    await media.until(() => media.loud > 20, 8000);
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(await desk.exited, desk.output).toBe(0);
    await idle(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({
      queue_id: support,
      agent_user_id: dave,
      disposition: 'answered',
    });
  });

  it('a web agent (sip.js) who does not answer misses the call (auto-paused "missed"); the next agent gets it', {
    timeout: 25_000,
  }, async ({ onTestFinished }) => {
    const defer = deferFor(onTestFinished);
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
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startQueueDesk(defer, sys, 'answer', media.port);
    const client = sys.client();
    await client.login('dave');
    expect((await client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);

    const missed = nextEvent(sys, 'agent_state', (e) => e.userId === carol.id && e.status === 'paused');
    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 3500 });
    const callId = (await joined).callId;
    // Round robin starts with carol (lowest id): her browser rings, she lets it ring out.
    expect((await missed).reason).toBe('missed');
    expect(queueHeaders).toEqual(['support']);
    await media.until(() => media.loud > 20, 8000);
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(await desk.exited, desk.output).toBe(0);
    await idle(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({ agent_user_id: dave, disposition: 'answered' });
    expect((await web.client.get('/api/agents/me/state')).body).toMatchObject({
      status: 'paused',
      reason: 'missed',
    });
  });

  it('the caller hangs up while the agent rings: the phone gets CANCEL and the agent is free again', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferFor(onTestFinished);
    const sys = await startSwitch(defer, { ring_timeout_s: 15 });
    const { dave, support } = await ids(sys);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startQueueDesk(defer, sys, 'ring', media.port);
    const client = sys.client();
    await client.login('dave');
    expect((await client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
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
    await idle(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({ disposition: 'unanswered', agent_user_id: null });
    expect((await client.get('/api/agents/me/state')).body.status).toBe('idle');
    expect(sys.deps.agents.board.get(dave)?.onCall ?? null).toBeNull();
    // Not left reserved by the cancelled offer: available for the next caller.
    expect(sys.deps.queues.agentsAvailable(support)).toBe(1);
  });

  it('the agent declines (486): not a miss, the caller keeps waiting (retry delay) until hanging up', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferFor(onTestFinished);
    const sys = await startSwitch(defer, { max_no_answer: 1, retry_delay_s: 30 });
    const { support } = await ids(sys);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startQueueDesk(defer, sys, 'busy', media.port);
    const client = sys.client();
    await client.login('dave');
    expect((await client.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    const joined = nextEvent(sys, 'queue_waiting', (e) => e.queueId === support && e.change === 'joined');
    const carrier = await carrierCall(defer, sys, { did: '5550101', expect: 200, talkMs: 1500 });
    const callId = (await joined).callId;
    expect(await desk.exited, desk.output).toBe(0);
    // Declined: still waiting, dave idle (not auto-paused) and not offered it again meanwhile.
    expect(sys.deps.queues.waiting(support).map((w) => [w.call.callId, w.ringing])).toEqual([[callId, []]]);
    expect((await client.get('/api/agents/me/state')).body.status).toBe('idle');
    expect(await carrier.exited, carrier.output).toBe(0);
    await idle(sys);
    expect(await cdrOf(sys, callId)).toMatchObject({ disposition: 'unanswered', hangup_side: 'customer' });
    expect(sys.deps.queues.waitingCount(support)).toBe(0);
  });
});
