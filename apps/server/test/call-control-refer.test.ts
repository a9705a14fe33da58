import { Inviter, type Session, SessionState, UserAgent } from 'sip.js';
import { describe, expect, it } from 'vitest';
import { closedCdr, customerPhone, deskPhone, eventCount, hears, startSwitch } from './call-control-harness';
import { deferrer } from './defer';
import { registerWebAgent } from './sip-agents';
import { allCallsEnded, recordEvents } from './switch-events';
import type { TestSystem } from './test-system';
import { cdrOf } from './test-system';

/**
 * SIP REFER from sip.js (RFC 3515, RFC 3891 Replaces) on the agent's dialog with the switch: alice
 * (web extension, sip.js in Node) calls the customer through the trunk (the customer's phone is the
 * carrier), then transfers blind to sam's extension, or attended: a second call to sam through the
 * switch, then REFER of the customer dialog with Replaces naming the call to sam.
 */

function established(session: Session, timeoutMs = 8000): Promise<void> {
  if (session.state === SessionState.Established) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`session is ${session.state}`)), timeoutMs);
    session.stateChange.addListener((s) => {
      if (s === SessionState.Established) {
        clearTimeout(t);
        resolve();
      }
      if (s === SessionState.Terminated) {
        clearTimeout(t);
        reject(new Error('session terminated'));
      }
    });
  });
}

function terminated(session: Session, timeoutMs = 8000): Promise<void> {
  if (session.state === SessionState.Terminated) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`session is ${session.state}`)), timeoutMs);
    session.stateChange.addListener((s) => {
      if (s === SessionState.Terminated) {
        clearTimeout(t);
        resolve();
      }
    });
  });
}

async function setup(onTestFinished: (fn: () => Promise<void>) => void) {
  const defer = deferrer(onTestFinished);
  const customer = await customerPhone(defer);
  const sys = await startSwitch(defer, { TRUNK_URI: `sip:127.0.0.1:${customer.port}` });
  await sys.db.updateTable('trunks').set({ register: 0 }).execute();
  await sys.deps.trunks.reload();
  const events = recordEvents(defer, sys);
  const sam = await deskPhone(defer, sys, 'sam');
  const alice = await registerWebAgent(sys, 'alice');
  defer(() => alice.stop());
  return { defer, sys, customer, sam, alice, events };
}

/** alice's sip.js places a call through the switch; `answer` answers it on the called phone. */
async function aliceCalls(
  sys: TestSystem,
  alice: Awaited<ReturnType<typeof registerWebAgent>>,
  user: string,
  answer: () => Promise<unknown>,
) {
  const inviter = new Inviter(alice.ua, UserAgent.makeURI(`sip:${user}@127.0.0.1:${sys.sipPort}`)!);
  await inviter.invite();
  await answer();
  await established(inviter);
  const call = [...sys.deps.calls.calls.values()].find(
    (c) => c.caller.dialog?.callId === inviter.dialog?.callId && c.caller.number === alice.extension,
  );
  if (!call) throw new Error('no call for alice’s session');
  return { inviter, callId: call.uuid };
}

describe('call control: SIP REFER from sip.js', () => {
  it('blind REFER to an extension: 202, NOTIFY 100 then 200, alice out, the customer with sam', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const { sys, customer, sam, alice, events } = await setup(onTestFinished);
    const { inviter, callId } = await aliceCalls(sys, alice, '+12025550199', async () =>
      customer.answer(await customer.nextInvite()),
    );
    const frags: string[] = [];
    const accepted = await new Promise<number>((resolve, reject) => {
      void inviter
        .refer(UserAgent.makeURI('sip:2001@127.0.0.1')!, {
          requestDelegate: {
            onAccept: (r) => resolve(r.message.statusCode ?? 0),
            onReject: (r) => resolve(r.message.statusCode ?? 0),
          },
          onNotify: (n) => {
            frags.push(n.request.body);
            n.accept();
          },
        })
        .catch(reject);
    });
    expect(accepted).toBe(202);
    const toSam = await sam.nextInvite();
    expect(toSam.request.get('x-switchboard-call-id')).toBe(callId);
    await terminated(inviter);
    expect(frags.map((f) => f.split('\r\n')[0])).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
    await sam.answer(toSam);
    await hears(customer, [sam]);
    await hears(sam, [customer]);
    await eventCount(
      sys,
      events,
      (e) => e.type === 'call' && e.callId === callId && e.state === 'transferred',
    );
    await sam.dialog!.bye();
    await allCallsEnded(sys, 8000);
    const row = await closedCdr(sys, callId);
    expect(JSON.parse(row.transfer_chain!)).toEqual([
      expect.objectContaining({ kind: 'refer', to: expect.stringMatching(/^2001/), outcome: 'answered' }),
    ]);
    expect((await alice.client.get('/api/agents/me/state')).body.status).toBe('idle');
  });

  it('a REFER without a usable Refer-To is refused (400) and the call goes on', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const { sys, customer, alice } = await setup(onTestFinished);
    const { inviter, callId } = await aliceCalls(sys, alice, '+12025550199', async () =>
      customer.answer(await customer.nextInvite()),
    );
    const status = await new Promise<number>((resolve) => {
      void inviter.refer(UserAgent.makeURI('sip:2001@127.0.0.1')!, {
        requestOptions: { extraHeaders: ['Refer-To: <sip:1003@127.0.0.1>'] },
        requestDelegate: {
          onAccept: (r) => resolve(r.message.statusCode ?? 0),
          onReject: (r) => resolve(r.message.statusCode ?? 0),
        },
      });
    });
    // Two Refer-To headers (RFC 3515 §2.4.1).
    expect(status).toBe(400);
    expect(sys.deps.calls.calls.get(callId)?.state).toBe('connected');
    await inviter.bye();
    await allCallsEnded(sys, 8000);
  });

  it('attended REFER with Replaces: the customer is bridged to sam, both of alice’s calls end', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const { sys, customer, sam, alice, events } = await setup(onTestFinished);
    const first = await aliceCalls(sys, alice, '+12025550199', async () =>
      customer.answer(await customer.nextInvite()),
    );
    const second = await aliceCalls(sys, alice, '2001', async () => sam.answer(await sam.nextInvite()));
    const samDialog = sam.dialog!;
    const frags: string[] = [];
    await first.inviter.refer(second.inviter, {
      onNotify: (n) => {
        frags.push(n.request.body);
        n.accept();
      },
    });
    await terminated(first.inviter);
    await terminated(second.inviter);
    expect(frags.map((f) => f.split('\r\n')[0])).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
    // sam's dialog with the switch is the same one: it now carries the customer.
    expect(samDialog.state).not.toBe('terminated');
    await hears(customer, [sam]);
    await hears(sam, [customer]);
    await eventCount(
      sys,
      events,
      (e) => e.type === 'call' && e.callId === first.callId && e.state === 'transferred',
    );
    await customer.dialog!.bye();
    await allCallsEnded(sys, 8000);
    const a = await closedCdr(sys, first.callId);
    expect(a.disposition).toBe('answered');
    expect(JSON.parse(a.transfer_chain!)).toEqual([
      expect.objectContaining({ kind: 'refer', to: '2001', outcome: 'completed' }),
    ]);
    const b = await cdrOf(sys, second.callId);
    expect(b.hangup_cause).toBe('attended_transfer');
    // The customer's hang-up reaches sam on that same dialog.
    await sam.until(() => samDialog.state === 'terminated', 5000, 'BYE to sam');
  });

  it('blind REFER to a queue’s number: the customer waits in support and its agent gets the call', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const { sys, customer, sam, alice, events } = await setup(onTestFinished);
    const { inviter, callId } = await aliceCalls(sys, alice, '+12025550199', async () =>
      customer.answer(await customer.nextInvite()),
    );
    await inviter.refer(UserAgent.makeURI('sip:5550101@127.0.0.1')!, { onNotify: (n) => n.accept() });
    await terminated(inviter);
    // sam is the only support member online: the queue offers him the customer.
    const offer = await sam.nextInvite();
    expect(offer.request.get('x-switchboard-queue')).toBe('support');
    expect(offer.request.get('x-switchboard-call-id')).toBe(callId);
    await sam.answer(offer);
    await hears(customer, [sam]);
    await hears(sam, [customer]);
    await eventCount(
      sys,
      events,
      (e) => e.type === 'call' && e.callId === callId && e.state === 'transferred',
    );
    await sam.dialog!.bye();
    await allCallsEnded(sys, 8000);
    expect(JSON.parse((await closedCdr(sys, callId)).transfer_chain!)).toEqual([
      expect.objectContaining({ kind: 'refer', to: 'queue support', outcome: 'queued' }),
    ]);
  });
});
