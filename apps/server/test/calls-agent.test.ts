import { PortPool, RtpLeg } from '@switchboard/media';
import type { IncomingRequest, SipStack } from '@switchboard/sip';
import { freeRange, freeUdpRange } from '@switchboard/test-support';
import { describe, expect, it } from 'vitest';
import {
  carrierCancelScenario,
  carrierScenario,
  carrierUasScenario,
  deskPhoneStack,
  MediaPeer,
  startDesk,
} from './call-peers';
import { type Defer, deferrer } from './defer';
import { freeMediaPorts, type SippProcess, startSipp } from './sip-agents';
import { allCallsEnded } from './switch-events';
import { TestSystem } from './test-system';

async function startSwitch(defer: Defer, env: Record<string, string> = {}): Promise<TestSystem> {
  const min = await freeUdpRange(100);
  const sys = await TestSystem.start(
    'sqlite',
    { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(min), RTP_PORT_MAX: String(min + 99), ...env },
    { trunks: { optionsIntervalMs: 0 }, calls: { ringTimeoutMs: 4000 } },
  );
  defer(() => sys.stop());
  return sys;
}

function killOnExit(defer: Defer, p: SippProcess): SippProcess {
  defer(() => {
    p.kill();
    return p.exited;
  });
  return p;
}

/** The next INVITE the desk phone (a SIP stack in the test) receives; it answers 180 at once. */
function nextInvite(phone: SipStack, timeoutMs = 5000): Promise<IncomingRequest> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the desk phone got no INVITE')), timeoutMs);
    phone.onRequest = (inc) => {
      if (inc.method !== 'INVITE') return void inc.reply(405);
      clearTimeout(t);
      inc.progress(180);
      resolve(inc);
    };
  });
}

const masking = { mode: 'partial', keepFirst: 2, keepLast: 2, exemptSupervisors: true } as const;

/** A sipp carrier (UAS) answering outbound calls with RTP echo; the trunk points at it. */
async function switchWithCarrier(defer: Defer, expectNumber: string) {
  const mp = await freeMediaPorts();
  const carrier = killOnExit(
    defer,
    await startSipp({
      scenario: carrierUasScenario(false, expectNumber),
      transport: 'udp',
      timeoutMs: 20_000,
      args: ['-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-rtp_echo', '-trace_err'],
    }),
  );
  const sys = await startSwitch(defer, { TRUNK_URI: `sip:127.0.0.1:${carrier.port}` });
  await sys.db.updateTable('trunks').set({ register: 0 }).execute();
  await sys.deps.trunks.reload();
  return { sys, carrier };
}

/**
 * Click-to-dial from the desk phone's point of view: the phone rings (From = the customer as the
 * agent may see it), nothing has gone to the carrier yet; it answers; then the carrier gets the
 * INVITE, answers, audio flows both ways; the phone hangs up.
 */
async function clickToDialCall(
  defer: Defer,
  sys: TestSystem,
  carrier: SippProcess,
  body: Record<string, unknown>,
  expectShown: string,
  /** The display name: the CRM name when the agent has the number as a customer. */
  expectName = expectShown,
) {
  const phone = await deskPhoneStack(sys);
  defer(() => phone.close());
  const leg = await RtpLeg.create({
    pool: new PortPool(await freeRange(20)),
    bindAddress: '127.0.0.1',
  });
  defer(() => leg.close());
  const dave = sys.client();
  await dave.login('dave');
  const ringing = nextInvite(phone);
  const res = await dave.post('/api/calls/click-to-dial', body);
  expect(res.status, res.text).toBe(201);
  const inc = await ringing;
  // The agent's phone shows who it will call (masked as the agent sees numbers).
  expect(inc.request.from?.uri.toString()).toMatch(
    new RegExp(`^sip:${expectShown.replace(/[+*]/g, '\\$&')}@`),
  );
  expect(inc.request.from?.displayName).toBe(expectName);
  const call = sys.deps.calls.calls.get(res.body.callId)!;
  expect(call).toBeDefined();
  // The carrier is dialled only once the desk phone answers.
  expect(call.callee.dialog).toBeNull();
  const legsWhileRinging = await sys.db
    .selectFrom('call_legs')
    .select('role')
    .where('call_id', '=', res.body.cdrId)
    .execute();
  expect(legsWhileRinging.map((l) => l.role)).toEqual(['agent']);

  const answer = await leg.acceptOffer(inc.request.bodyText);
  const dialog = inc.accept({ body: answer, contentType: 'application/sdp' });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      carrier.kill('SIGTERM');
      void carrier.exited.then(() => reject(new Error(`not connected (${call.state}): ${carrier.output}`)));
    }, 8000);
    const off = sys.deps.events.subscribe({ userId: 0, role: 'supervisor' }, (e) => {
      if (e.event.type === 'call' && e.event.callId === res.body.callId && e.event.state === 'answered') {
        clearTimeout(t);
        off();
        resolve();
      }
    });
  });
  const tone = Buffer.alloc(160, 0x20);
  for (let i = 0; i < 50; i++) {
    leg.sendFrame(tone);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(leg.quality().packetsReceived).toBeGreaterThan(20);
  await dialog.bye();
  expect(await carrier.exited, carrier.output).toBe(0);
  await allCallsEnded(sys);
  const cdr = await sys.db
    .selectFrom('calls')
    .selectAll()
    .where('id', '=', res.body.cdrId)
    .executeTakeFirstOrThrow();
  const legs = await sys.db
    .selectFrom('call_legs')
    .selectAll()
    .where('call_id', '=', cdr.id)
    .orderBy('id')
    .execute();
  expect(legs.map((l) => l.role)).toEqual(['agent', 'customer']);
  // The customer leg started after the agent answered.
  expect(legs[1]!.started_at).toBeGreaterThanOrEqual(legs[0]!.answered_at!);
  return cdr;
}

describe.concurrent('agent calls (desk phone 1004 = dave)', () => {
  it('click-to-dial by number: the desk phone rings first, then the carrier; CDR manual answered', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, carrier } = await switchWithCarrier(defer, '+12025550143');
    const cdr = await clickToDialCall(defer, sys, carrier, { number: '(202) 555-0143' }, '+12025550143');
    expect(cdr).toMatchObject({
      type: 'manual',
      status: 'closed',
      disposition: 'answered',
      hangup_side: 'agent',
      customer_number: '+12025550143',
    });
    expect(cdr.answered_at).not.toBeNull();
  });

  it('click-to-dial by customer phone with masking on: the phone shows the masked number, the carrier gets the real one', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, carrier } = await switchWithCarrier(defer, '+12025550143');
    const admin = sys.client();
    await admin.login('admin');
    expect((await admin.put('/api/admin/settings', { numberMasking: masking })).status).toBe(200);
    const dave = sys.client();
    await dave.login('dave');
    const created = await dave.post('/api/customers', {
      name: 'Masked Customer',
      phones: ['+1 202 555 0143'],
    });
    expect(created.status, created.text).toBe(201);
    const phone = created.body.customer.phones[0];
    expect(phone.number).toBe('+12*******43');
    // Another agent cannot dial a contact that is not theirs, even by reference.
    const bob = sys.client();
    await bob.login('bob');
    expect((await bob.post('/api/calls/click-to-dial', { customerPhoneId: phone.id })).status).toBe(404);
    const cdr = await clickToDialCall(
      defer,
      sys,
      carrier,
      { customerPhoneId: phone.id },
      '+12*******43',
      'Masked Customer',
    );
    expect(cdr).toMatchObject({ type: 'manual', disposition: 'answered', customer_number: '+12025550143' });
  });

  it('click-to-dial is refused while the desk phone is not registered, and for web extensions', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const dave = sys.client();
    await dave.login('dave');
    const res = await dave.post('/api/calls/click-to-dial', { number: '2025550143' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_registered');
    const alice = sys.client();
    await alice.login('alice');
    const web = await alice.post('/api/calls/click-to-dial', { number: '2025550143' });
    expect(web.status).toBe(409);
    expect(web.body.error.code).toBe('web_extension');
  });

  it('the carrier cancels while the extension rings: the extension gets CANCEL (487), CDR unanswered/caller_cancel', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = killOnExit(defer, await startDesk(sys, 'ring', media.port));
    const mp = await freeMediaPorts();
    const carrier = killOnExit(
      defer,
      await startSipp({
        scenario: carrierCancelScenario('5550104'),
        transport: 'udp',
        remote: `127.0.0.1:${sys.sipPort}`,
        timeoutMs: 15_000,
        args: ['-s', '5550104', '-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-trace_err'],
      }),
    );
    const [carrierExit, deskExit] = await Promise.all([carrier.exited, desk.exited]);
    expect(carrierExit, carrier.output).toBe(0);
    // The desk phone's scenario ends only after CANCEL, its 487 and our ACK.
    expect(deskExit, desk.output).toBe(0);
    await allCallsEnded(sys);
    const cdr = await sys.db.selectFrom('calls').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({
      type: 'inbound',
      status: 'closed',
      disposition: 'unanswered',
      hangup_cause: 'caller_cancel',
      hangup_side: 'customer',
      answered_at: null,
      duration_s: 0,
    });
    expect(cdr.ring_time_s).toBeLessThan(5);
  });

  it('inbound with masking on: the desk phone sees the caller masked in From', { timeout: 20_000 }, async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const admin = sys.client();
    await admin.login('admin');
    expect((await admin.put('/api/admin/settings', { numberMasking: masking })).status).toBe(200);
    const phone = await deskPhoneStack(sys);
    defer(() => phone.close());
    const ringing = nextInvite(phone);
    const mp = await freeMediaPorts();
    const carrier = killOnExit(
      defer,
      await startSipp({
        scenario: carrierScenario({ did: '5550104', expect: 486 }),
        transport: 'udp',
        remote: `127.0.0.1:${sys.sipPort}`,
        timeoutMs: 15_000,
        args: ['-s', '5550104', '-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-trace_err'],
      }),
    );
    const inc = await ringing;
    const from = inc.request.from!;
    expect(from.uri.toString()).toMatch(/^sip:\+12\*{7}99@/);
    expect(from.displayName).toBe('+12*******99');
    expect(inc.request.toString()).not.toContain('2025550199');
    inc.reply(486);
    expect(await carrier.exited, carrier.output).toBe(0);
    await allCallsEnded(sys);
    const cdr = await sys.db.selectFrom('calls').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    // The CDR keeps the real number (masking is for what agents see).
    expect(cdr).toMatchObject({ customer_number: '+12025550199', disposition: 'busy' });
  });
});
