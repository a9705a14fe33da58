import type { CallLegStatus, LiveCalls, LiveEvent } from '@switchboard/shared';
import { freeRange, freeUdpRange } from '@switchboard/test-support';
import { describe, expect, it } from 'vitest';
import type { CollectResult } from '../src/switch/scripts/digit-buffer';
import type { BridgeEnd } from '../src/switch/scripts/script-call';
import { customerPhone, deskPhone } from './call-control-harness';
import { SoftPhone } from './call-peers';
import { type Defer, deferrer } from './defer';
import {
  answeringCarrier,
  expectNothingLeft,
  refusingCarrier,
  startCarrier,
  trunksTo,
  typeDigits,
} from './script-peers';
import { recordEvents } from './switch-events';
import { cdrOf, loggedInAs, TestSystem, userId } from './test-system';

async function startSwitch(defer: Defer): Promise<TestSystem> {
  const min = await freeUdpRange(100);
  const sys = await TestSystem.start(
    'sqlite',
    { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(min), RTP_PORT_MAX: String(min + 99) },
    { trunks: { optionsIntervalMs: 0 }, calls: { ringTimeoutMs: 2500 } },
  );
  defer(() => sys.stop());
  return sys;
}

function scriptsOf(sys: TestSystem) {
  return sys.deps.scripts;
}

function legStatuses(events: LiveEvent[], legId: string): CallLegStatus[] {
  return events.flatMap((e) => (e.type === 'call_leg' && e.legId === legId ? [e.status] : []));
}

async function legRows(sys: TestSystem, cdrId: number) {
  return sys.db.selectFrom('call_legs').selectAll().where('call_id', '=', cdrId).orderBy('id').execute();
}

describe('call scripts', () => {
  it('originates to a sipp carrier, plays a prompt, then collects RFC 4733 digits', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const carrier = await startCarrier(defer, answeringCarrier(typeDigits('123#', 1500)));
    await trunksTo(sys, [carrier]);
    const events = recordEvents(defer, sys);
    let collected: CollectResult | null = null;
    let legId = '';
    const call = await scriptsOf(sys).run(
      { type: 'auto', service: 'test', customerNumber: '+12025550140' },
      async (c) => {
        const leg = c.originate({ to: '+12025550140', callerId: { number: '+18005550100' } });
        legId = leg.id;
        expect(await leg.outcome()).toBe('connected');
        expect(await leg.play(['welcome'])).toBe('finished');
        collected = await leg.collect({
          maxDigits: 8,
          terminator: '#',
          firstDigitTimeoutMs: 8000,
          interDigitTimeoutMs: 3000,
        });
        await leg.hangup();
      },
    );
    await scriptsOf(sys).whenEnded(call);
    expect(collected).toEqual({ digits: '123', end: 'terminator' });
    expect(await carrier.exited).toBe(0);
    expect(legStatuses(events, legId)).toEqual(['alerting', 'connected', 'ended']);
    const cdr = await cdrOf(sys, call.uuid);
    expect(cdr).toMatchObject({ status: 'closed', disposition: 'answered', service: 'test', type: 'auto' });
    expect(cdr.answered_at).not.toBeNull();
    const [row] = await legRows(sys, cdr.id);
    expect(row).toMatchObject({
      leg_uuid: legId,
      role: 'customer',
      disposition: 'answered',
      hangup_cause: 'normal_clearing',
    });
    expect(row!.answered_at).not.toBeNull();
    expect(row!.ended_at).not.toBeNull();
    await expectNothingLeft(sys);
  });

  it('collects digits sent as SIP INFO from a desk phone reached through its extension', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const phone = await deskPhone(defer, sys, 'dave');
    const dave = await userId(sys, 'dave');
    phone.onInvite = (inc) => void phone.answer(inc);
    let collected: CollectResult | null = null;
    let heardBefore = -1;
    const call = await scriptsOf(sys).run({ type: 'auto', service: 'test' }, async (c) => {
      const leg = c.originate({ to: '1004', via: { extension: '1004' } });
      expect(leg.role).toBe('agent');
      expect(await leg.outcome()).toBe('connected');
      // The user whose phone answered is on this call (the ACD offers them nothing meanwhile).
      expect(sys.deps.agents.presence.callsOfUser(dave)).toEqual([c.uuid]);
      expect(sys.deps.agents.board.get(dave)?.onCall?.callId).toBe(c.uuid);
      heardBefore = phone.heard;
      // Supervisors see the call and its leg in progress; agents may not list calls.
      const sam = await loggedInAs(sys, 'sam');
      const live = (await sam.get('/api/calls/live')).body as LiveCalls;
      expect(live.calls.find((x) => x.callId === c.uuid)).toMatchObject({
        kind: 'script',
        service: 'test',
        legs: [{ id: leg.id, number: '1004', role: 'agent', status: 'connected', cause: null }],
      });
      expect((await (await loggedInAs(sys, 'alice')).get('/api/calls/live')).status).toBe(403);
      await leg.play(['welcome']);
      const entry = leg.collect({ maxDigits: 4, terminator: '#', firstDigitTimeoutMs: 8000 });
      for (const signal of ['4', '2', '#'])
        await phone.dialog!.info(`Signal=${signal}\r\nDuration=160\r\n`, 'application/dtmf-relay');
      collected = await entry;
    });
    await scriptsOf(sys).whenEnded(call);
    expect(collected).toEqual({ digits: '42', end: 'terminator' });
    // The prompt reached the phone as audio.
    expect(phone.heard).toBeGreaterThan(heardBefore + 10);
    // The script returned with the leg up: ending the call hung it up (the phone got BYE).
    await phone.until(() => phone.inDialog.some((r) => r.method === 'BYE'), 5000, 'BYE');
    expect(sys.deps.agents.presence.callsOfUser(dave)).toEqual([]);
    expect(sys.deps.agents.board.get(dave)?.onCall ?? null).toBeNull();
    await expectNothingLeft(sys);
  });

  it('bridges two carrier legs; #11 from leg A ends leg B only and the script goes on with A', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    // Leg A's carrier is a SIP stack with a real RTP sender (it types #11 as three RFC 4733 events);
    // leg B's is sipp echoing what it hears.
    const a = await SoftPhone.start(await freeRange(20));
    defer(() => a.close());
    a.onInvite = (inc) => void a.answer(inc);
    const b = await startCarrier(defer, answeringCarrier(), { echo: true });
    const [trunkA, trunkB] = await trunksTo(sys, [a, b]);
    let bridged: BridgeEnd | null = null;
    let afterwards = '';
    let bStatus = '';
    let heardInBridge = 0;
    const call = await scriptsOf(sys).run({ type: 'auto', service: 'test' }, async (c) => {
      const legA = c.originate({ to: '+12025550141', via: { trunk: trunkA! } });
      expect(await legA.outcome()).toBe('connected');
      const legB = c.originate({ to: '+12025550142', via: { trunk: trunkB! }, role: 'destination' });
      expect(await legB.outcome()).toBe('connected');
      const result = c.bridge(legA, legB, { disconnectSequence: '#11', record: true });
      // A talks and hears itself back through B's echo: the legs are joined.
      const before = a.heard;
      await a.talk(600);
      await a.until(() => a.heard > before + 5, 5000, 'echo through the bridge');
      heardInBridge = a.heard - before;
      await a.leg!.sendDigits('#11');
      bridged = await result;
      await legB.done();
      bStatus = `${legB.status}/${legB.cause}`;
      afterwards = await legA.play(['enter-destination']);
      await legA.hangup();
    });
    await scriptsOf(sys).whenEnded(call);
    expect(heardInBridge).toBeGreaterThan(5);
    expect(bridged).toMatchObject({ endedBy: 'a', reason: 'disconnect_sequence' });
    expect(bStatus).toBe('ended/disconnect_sequence');
    expect(afterwards).toBe('finished');
    expect(await b.exited).toBe(0);
    await a.until(() => a.inDialog.some((r) => r.method === 'BYE'), 5000, 'BYE to A');
    const cdr = await cdrOf(sys, call.uuid);
    const rows = await legRows(sys, cdr.id);
    expect(rows.map((r) => [r.role, r.hangup_cause])).toEqual([
      ['customer', 'normal_clearing'],
      ['destination', 'disconnect_sequence'],
    ]);
    // The bridge was recorded (the service's policy), and the row was finished with the call.
    const recording = await sys.db
      .selectFrom('recordings')
      .selectAll()
      .where('id', '=', cdr.recording_id!)
      .executeTakeFirstOrThrow();
    expect(recording).toMatchObject({ call_id: cdr.id, status: 'complete' });
    expect(recording.duration_ms).toBeGreaterThan(500);
    expect(recording.size_bytes).toBeGreaterThan(8000);
    await expectNothingLeft(sys);
  });

  it('a bridge with a maximum duration warns leg A, then cuts leg B and plays the end prompt to A', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const dave = await deskPhone(defer, sys, 'dave');
    const carol = await deskPhone(defer, sys, 'carol');
    for (const p of [dave, carol]) p.onInvite = (inc) => void p.answer(inc);
    let bridged: BridgeEnd | null = null;
    const heard: Record<string, number> = {};
    const call = await scriptsOf(sys).run({ type: 'auto', service: 'test' }, async (c) => {
      const a = c.originate({ to: '1004', via: { extension: '1004' }, role: 'customer' });
      const b = c.originate({ to: '1003', via: { extension: '1003' }, role: 'destination' });
      expect(await a.outcome()).toBe('connected');
      expect(await b.outcome()).toBe('connected');
      // Neither phone talks: whatever A hears during the bridge is the warning prompt.
      heard.start = dave.heard;
      const result = c.bridge(a, b, {
        maxDurationMs: 3000,
        warnBeforeEndMs: 1500,
        warnPrompt: 'credit-exhausted',
        endPrompt: ['goodbye'],
      });
      await c.wait(1200);
      heard.beforeWarning = dave.heard;
      bridged = await result;
      heard.atCut = dave.heard;
      expect(b.ended).toBe(true);
      expect(a.connected).toBe(true);
    });
    await scriptsOf(sys).whenEnded(call);
    expect(bridged).toMatchObject({ endedBy: 'system', reason: 'max_duration' });
    expect(bridged!.durationMs).toBeGreaterThanOrEqual(2900);
    expect(heard.beforeWarning! - heard.start!).toBeLessThan(5);
    expect(heard.atCut! - heard.beforeWarning!).toBeGreaterThan(20);
    await carol.until(() => carol.inDialog.some((r) => r.method === 'BYE'), 5000, 'BYE to B');
    const rows = await legRows(sys, (await cdrOf(sys, call.uuid)).id);
    expect(rows.find((r) => r.role === 'destination')?.hangup_cause).toBe('max_duration');
    await expectNothingLeft(sys);
  });

  it('gives each way an originate can fail its own status and cause', async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const carriers = [
      await startCarrier(defer, refusingCarrier('486 Busy Here')),
      await startCarrier(defer, refusingCarrier('ring')),
      await startCarrier(defer, refusingCarrier('404 Not Found')),
      await startCarrier(defer, refusingCarrier('503 Service Unavailable')),
      await startCarrier(defer, refusingCarrier('603 Decline')),
    ];
    const trunks = await trunksTo(sys, carriers);
    const outcomes: string[] = [];
    const events = recordEvents(defer, sys);
    const call = await scriptsOf(sys).run({ type: 'auto', service: 'test' }, async (c) => {
      for (const trunk of trunks) {
        const leg = c.originate({ to: '+12025550143', via: { trunk } });
        await leg.outcome();
        outcomes.push(`${leg.status}/${leg.cause}`);
      }
      // The trunk is down: nothing is sent.
      await sys.db.updateTable('trunks').set({ enabled: 0 }).execute();
      await sys.deps.trunks.reload();
      const down = c.originate({ to: '+12025550143' });
      await down.outcome();
      outcomes.push(`${down.status}/${down.cause}`);
      const unregistered = c.originate({ to: '1002', via: { extension: '1002' } });
      await unregistered.outcome();
      outcomes.push(`${unregistered.status}/${unregistered.cause}`);
      const invalid = c.originate({ to: 'not a number' });
      await invalid.outcome();
      outcomes.push(`${invalid.status}/${invalid.cause}`);
    });
    await scriptsOf(sys).whenEnded(call);
    expect(outcomes).toEqual([
      'busy/busy',
      'no_answer/no_answer',
      'failed/not_found',
      'failed/sip_503',
      'rejected/rejected',
      'failed/no_trunk',
      'failed/not_registered',
      'failed/invalid_number',
    ]);
    for (const c of carriers) expect(await c.exited).toBe(0);
    // The ringing one was seen ringing before it timed out.
    const ringing = events.filter((e) => e.type === 'call_leg' && e.status === 'alerting');
    expect(ringing.length).toBeGreaterThanOrEqual(1);
    const cdr = await cdrOf(sys, call.uuid);
    expect(cdr).toMatchObject({ status: 'closed', disposition: 'busy' });
    const rows = await legRows(sys, cdr.id);
    expect(rows.map((r) => r.disposition)).toEqual([
      'busy',
      'unanswered',
      'failed',
      'failed',
      'busy',
      'failed',
      'failed',
      'failed',
    ]);
    await expectNothingLeft(sys);
  });

  it('a script that throws or is ended mid-ring leaves no leg, timer or port behind', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const ringing = await startCarrier(defer, refusingCarrier('ring'));
    await trunksTo(sys, [ringing]);
    const scripts = scriptsOf(sys);
    const thrown = await scripts.run({ type: 'auto', service: 'test' }, async (c) => {
      const leg = c.originate({ to: '+12025550144' });
      await new Promise<void>((r) => leg.onStatus(() => r()));
      void c.wait(60_000);
      throw new Error('the script failed');
    });
    await scripts.whenEnded(thrown);
    expect(await cdrOf(sys, thrown.uuid)).toMatchObject({ status: 'closed', hangup_cause: 'script_error' });
    expect(await ringing.exited).toBe(0);
    const [row] = await legRows(sys, (await cdrOf(sys, thrown.uuid)).id);
    expect(row).toMatchObject({ disposition: 'unanswered', hangup_cause: 'script_error' });
    await expectNothingLeft(sys);
  });

  it('an inbound route hands the caller to a script: ring then busy, or answer and enqueue into the ACD', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const scripts = scriptsOf(sys);
    const support = await sys.db
      .selectFrom('queues')
      .select('id')
      .where('name', '=', 'support')
      .executeTakeFirstOrThrow();
    const daveId = await userId(sys, 'dave');
    const routes: Array<[string, string]> = [
      ['5550188', 'trigger'],
      ['5550189', 'queue'],
    ];
    for (const [number, id] of routes)
      await sys.db
        .insertInto('inbound_routes')
        .values({ number, target_type: 'callback_service', target_id: id, created_at: Date.now() })
        .execute();
    const enqueued: string[] = [];
    scripts.onInbound('callback_service', async (call, caller, target) => {
      if (target.id === 'trigger') {
        caller.ring();
        await call.wait(300);
        caller.reject(486);
        return;
      }
      expect(await caller.answer()).toBe(true);
      await caller.play('welcome');
      const result = await call.enqueue(caller, support.id, { priority: 'high' });
      enqueued.push(typeof result === 'string' ? result : `left:${result.left}`);
    });

    // A caller turned away after ringing: 486, the CDR says busy, nothing left.
    const first = await customerPhone(defer);
    expect((await first.call(sys, '5550188', '+12025550170')).status).toBe(486);
    await expect.poll(() => scripts.calls.length, { timeout: 5000 }).toBe(0);
    const trigger = await sys.db
      .selectFrom('calls')
      .selectAll()
      .where('service', '=', 'callback_service')
      .executeTakeFirstOrThrow();
    expect(trigger).toMatchObject({
      type: 'inbound',
      disposition: 'busy',
      caller_number: '+12025550170',
      status: 'closed',
    });
    await expectNothingLeft(sys);

    // A caller answered by the script, then queued: dave (idle in support) gets the call.
    const dave = await deskPhone(defer, sys, 'dave');
    const daveApi = await loggedInAs(sys, 'dave');
    expect((await daveApi.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    dave.onInvite = (inc) => void dave.answer(inc);
    const customer = await customerPhone(defer);
    const placed = await customer.call(sys, '5550189', '+12025550171');
    expect(placed.status).toBe(200);
    await expect.poll(() => enqueued, { timeout: 5000 }).toEqual(['queued']);
    await expect.poll(() => dave.dialog?.state, { timeout: 10_000 }).toBe('confirmed');
    expect(enqueued).toEqual(['queued']);
    const before = dave.heard;
    await customer.talk(600);
    await dave.until(() => dave.heard > before + 5, 5000, 'the customer heard at the agent');
    const cdrRow = await sys.db
      .selectFrom('calls')
      .selectAll()
      .where('service', '=', 'callback_service')
      .where('caller_number', '=', '+12025550171')
      .executeTakeFirstOrThrow();
    await expect
      .poll(async () => (await cdrOf(sys, cdrRow.call_uuid)).agent_user_id, { timeout: 5000 })
      .toBe(daveId);
    expect(cdrRow.queue_id).toBe(support.id);
    await placed.dialog!.bye();
    await expect
      .poll(async () => (await cdrOf(sys, cdrRow.call_uuid)).status, { timeout: 5000 })
      .toBe('closed');
    expect(await cdrOf(sys, cdrRow.call_uuid)).toMatchObject({
      disposition: 'answered',
      hangup_side: 'customer',
    });
    const rows = await legRows(sys, cdrRow.id);
    expect(rows.map((r) => r.role)).toEqual(['customer', 'agent']);
    expect(rows.every((r) => r.ended_at !== null && r.answered_at !== null)).toBe(true);
    await expect.poll(() => sys.deps.calls.activeCount, { timeout: 5000 }).toBe(0);
    await expectNothingLeft(sys);
  });
});
