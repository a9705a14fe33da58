import type { LiveEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import {
  closedCdr,
  customerCallsDave,
  databases,
  daveInCallSamFree,
  deskPhone,
  eventCount,
  hears,
  legs,
  samAnswersConsult,
  startSwitch,
  switchWithOutsideCarrier,
} from './call-control-harness';
import { deferrer } from './defer';
import { allCallsEnded, nextEvent, recordEvents } from './switch-events';
import { cdrOf, userId } from './test-system';

/**
 * Consult: dave has a customer (calling in as the carrier to his DID)
 * and consults sam; then completes the transfer, makes it a three-way conference (RTP counted from
 * each party to each other party), or gets the customer back (no answer, busy, cancel, sam hangs up).
 * The customer is never lost.
 */

function consultStates(events: LiveEvent[], callId: string): string[] {
  return events.flatMap((e) =>
    e.type === 'consult' && e.callId === callId ? [`${e.state}${e.reason ? `:${e.reason}` : ''}`] : [],
  );
}

describe('call control: consult', () => {
  for (const db of databases)
    it(`consult then complete: the customer waits with music, dave talks to sam, then sam has the customer [${db}]`, {
      timeout: 40_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, db);
      const events = recordEvents(defer, sys);
      const dave = await deskPhone(defer, sys, 'dave');
      const sam = await deskPhone(defer, sys, 'sam');
      const ids = { dave: await userId(sys, 'dave'), sam: await userId(sys, 'sam') };
      const { customer, callId } = await customerCallsDave(defer, sys, dave);
      const api = sys.client();
      await api.login('dave');

      expect(
        (await api.post(`/api/calls/${callId}/consult`, { to: { kind: 'user', userId: ids.sam } })).status,
      ).toBe(200);
      const again = await api.post(`/api/calls/${callId}/consult`, { to: { kind: 'user', userId: ids.sam } });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('consult_in_progress');
      const toSam = await sam.nextInvite();
      // The consulted party sees the agent calling, and the call it is about.
      expect(toSam.request.from?.uri.toString()).toMatch(/^sip:1004@/);
      expect(toSam.request.get('x-switchboard-call-id')).toBe(callId);
      const music = customer.heard;
      await customer.until(() => customer.heard - music > 25, 5000, 'hold music');
      expect((await api.get('/api/calls/current')).body.calls[0]).toMatchObject({
        held: true,
        consult: { state: 'ringing', target: 'Sam' },
      });
      const early = await api.post(`/api/calls/${callId}/consult/complete`, {});
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('consult_not_answered');

      const answered = nextEvent(sys, 'consult', (e) => e.callId === callId && e.state === 'answered', 8000);
      await sam.answer(toSam);
      await answered;
      await hears(dave, [sam]);
      await hears(sam, [dave]);

      expect((await api.post(`/api/calls/${callId}/consult/complete`, {})).status).toBe(200);
      await dave.until(() => dave.dialog?.state === 'terminated', 5000, 'BYE to dave');
      await hears(customer, [sam]);
      await hears(sam, [customer]);
      expect((await api.get('/api/calls/current')).body.calls).toEqual([]);
      const samApi = sys.client();
      await samApi.login('sam');
      expect((await samApi.get('/api/calls/current')).body.calls).toEqual([
        expect.objectContaining({ callId, state: 'connected', consult: null }),
      ]);
      expect(consultStates(events, callId)).toEqual(['ringing', 'answered', 'completed']);
      expect(events.some((e) => e.type === 'call' && e.callId === callId && e.state === 'transferred')).toBe(
        true,
      );

      await sam.dialog!.bye();
      await allCallsEnded(sys, 8000);
      const row = await closedCdr(sys, callId);
      expect(JSON.parse(row.transfer_chain!)).toEqual([
        expect.objectContaining({ kind: 'consult', by: ids.dave, outcome: 'completed' }),
      ]);
      expect((await legs(sys, row.id)).map((l) => l.role)).toEqual(['customer', 'agent', 'supervisor']);
    });

  it('consult then conference: all three hear each other, music stops; dave leaves and the other two go on', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const inCall = await daveInCallSamFree(defer);
    const { sys, events, dave, sam, customer, callId, api } = inCall;
    const early = await api.post(`/api/calls/${callId}/consult/conference`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('no_consult');
    await samAnswersConsult(inCall);

    expect((await api.post(`/api/calls/${callId}/consult/conference`, {})).status).toBe(200);
    await eventCount(
      sys,
      events,
      (e) => e.type === 'consult' && e.callId === callId && e.state === 'conference',
    );
    // Each party is heard by each of the others.
    await hears(customer, [dave, sam]);
    await hears(dave, [customer, sam]);
    await hears(sam, [customer, dave]);
    // Nobody talks: no music any more (the mix of silence is silence).
    const quiet = customer.heard;
    // A measurement window (nothing to await: the point is that nothing arrives).
    await new Promise((r) => setTimeout(r, 500));
    expect((await api.get('/api/calls/current')).body.calls[0].consult).toEqual({
      state: 'conference',
      target: 'Sam',
    });
    expect(events.some((e) => e.type === 'call' && e.callId === callId && e.state === 'conference')).toBe(
      true,
    );
    expect(customer.heard - quiet).toBeLessThan(5);

    // dave hangs up: the customer and sam keep talking.
    await dave.dialog!.bye();
    await hears(customer, [sam]);
    await hears(sam, [customer]);
    expect(sys.deps.calls.calls.get(callId)?.state).toBe('connected');
    await customer.dialog!.bye();
    await allCallsEnded(sys, 8000);
    const row = await closedCdr(sys, callId);
    expect(
      JSON.parse(row.transfer_chain!).map((s: { kind: string; outcome: string }) => `${s.kind}:${s.outcome}`),
    ).toEqual(['conference:joined', 'consult:agent_left_conference']);
    expect(row.disposition).toBe('answered');
  });

  it('no answer, busy, cancel, or sam hanging up: dave is back with the customer, audio flows', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const inCall = await daveInCallSamFree(defer);
    const { sys, events, dave, sam, samId, customer, callId, api } = inCall;
    const consult = () => api.post(`/api/calls/${callId}/consult`, { to: { kind: 'user', userId: samId } });
    const ended = (e: LiveEvent) =>
      e.type === 'consult' && e.callId === callId && e.state !== 'ringing' && e.state !== 'answered';
    const answered = (n: number) =>
      eventCount(
        sys,
        events,
        (e) => e.type === 'consult' && e.callId === callId && e.state === 'answered',
        n,
      );
    let endings = 0;
    const back = async (state: string) => {
      await eventCount(sys, events, ended, ++endings);
      expect(
        consultStates(events, callId)
          .filter((s) => s !== 'ringing' && s !== 'answered')
          .at(-1),
      ).toBe(state);
      await hears(customer, [dave]);
      await hears(dave, [customer]);
      expect((await api.get('/api/calls/current')).body.calls[0]).toMatchObject({
        held: false,
        consult: null,
      });
    };

    // sam does not answer (ring timeout 3 s).
    expect((await consult()).status).toBe(200);
    await sam.nextInvite();
    await back('failed:no_answer');
    // sam is busy.
    expect((await consult()).status).toBe(200);
    (await sam.nextInvite()).reply(486, { reason: 'Busy Here' });
    await back('failed:busy');
    // dave gives up while it rings.
    expect((await consult()).status).toBe(200);
    await sam.nextInvite();
    expect((await api.post(`/api/calls/${callId}/consult/cancel`, {})).status).toBe(200);
    await back('cancelled');
    // sam answers, then hangs up.
    expect((await consult()).status).toBe(200);
    await sam.answer(await sam.nextInvite());
    await answered(1);
    await sam.dialog!.bye();
    await back('failed:hung_up');
    // sam answers and dave goes back (cancel after answer).
    expect((await consult()).status).toBe(200);
    await sam.answer(await sam.nextInvite());
    await answered(2);
    expect((await api.post(`/api/calls/${callId}/consult/cancel`, {})).status).toBe(200);
    await sam.until(() => sam.dialog?.state === 'terminated', 5000, 'BYE to sam');
    await back('cancelled');

    expect(consultStates(events, callId).filter((s) => s !== 'ringing' && s !== 'answered')).toEqual([
      'failed:no_answer',
      'failed:busy',
      'cancelled',
      'failed:hung_up',
      'cancelled',
    ]);
    await customer.dialog!.bye();
    await allCallsEnded(sys, 8000);
    const row = await closedCdr(sys, callId);
    expect(row.hangup_cause).toBe('normal_clearing');
    expect(JSON.parse(row.transfer_chain!).map((s: { outcome: string }) => s.outcome)).toEqual([
      'failed_no_answer',
      'failed_busy',
      'cancelled',
      'target_hung_up',
      'cancelled',
    ]);
  });

  it('consult an outside number (sipp carrier), then complete: the customer talks to it', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, carrier } = await switchWithOutsideCarrier(defer, '+12025550123');
    const events = recordEvents(defer, sys);
    const dave = await deskPhone(defer, sys, 'dave');
    const { customer, callId } = await customerCallsDave(defer, sys, dave);
    const api = sys.client();
    await api.login('dave');
    expect(
      (await api.post(`/api/calls/${callId}/consult`, { to: { kind: 'number', number: '+12025550123' } }))
        .status,
    ).toBe(200);
    await eventCount(
      sys,
      events,
      (e) => e.type === 'consult' && e.callId === callId && e.state === 'answered',
    );
    // dave hears himself echoed by the outside party while the customer waits.
    await hears(dave, [dave]);
    expect((await api.post(`/api/calls/${callId}/consult/complete`, {})).status).toBe(200);
    await dave.until(() => dave.dialog?.state === 'terminated', 5000, 'BYE to dave');
    await hears(customer, [customer]);
    await customer.dialog!.bye();
    expect(await carrier.exited, carrier.output).toBe(0);
    await allCallsEnded(sys, 8000);
    const row = await closedCdr(sys, callId);
    expect(JSON.parse(row.transfer_chain!)).toEqual([
      expect.objectContaining({ kind: 'consult', to: '+12025550123', outcome: 'completed' }),
    ]);
    expect((await legs(sys, row.id)).map((l) => l.role)).toEqual(['customer', 'agent', 'destination']);
  });

  it('the customer hangs up during an answered consult: everyone is released, the consult fails', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const inCall = await daveInCallSamFree(defer);
    const { sys, events, dave, sam, customer, callId, api } = inCall;
    await samAnswersConsult(inCall);
    await customer.dialog!.bye();
    await allCallsEnded(sys, 8000);
    await sam.until(() => sam.dialog?.state === 'terminated', 5000, 'BYE to sam');
    await dave.until(() => dave.dialog?.state === 'terminated', 5000, 'BYE to dave');
    expect(consultStates(events, callId).at(-1)).toBe('failed:call_ended');
    const samApi = sys.client();
    await samApi.login('sam');
    expect((await samApi.get('/api/agents/me/state')).body.status).not.toBe('on_call');
    expect((await api.get('/api/agents/me/state')).body.status).toBe('idle');
    const row = await cdrOf(sys, callId);
    expect(row.hangup_side).toBe('customer');
    expect((await legs(sys, row.id)).every((l) => l.ended_at !== null)).toBe(true);
  });

  it('hang-up through the API in a conference: sam leaves (the customer and dave go on), then dave leaves a new conference', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const inCall = await daveInCallSamFree(defer);
    const { sys, dave, sam, customer, callId, api } = inCall;
    const samApi = sys.client();
    await samApi.login('sam');
    const conference = async (n: number) => {
      await samAnswersConsult(inCall, n);
      expect((await api.post(`/api/calls/${callId}/consult/conference`, {})).status).toBe(200);
      await hears(customer, [dave, sam]);
    };

    await conference(1);
    const samDialog = sam.dialog!;
    expect((await samApi.post(`/api/calls/${callId}/hangup`, {})).status).toBe(200);
    await sam.until(() => samDialog.state === 'terminated', 5000, 'BYE to sam');
    await hears(customer, [dave]);
    await hears(dave, [customer]);

    await conference(2);
    const daveDialog = dave.dialog!;
    expect((await api.post(`/api/calls/${callId}/hangup`, {})).status).toBe(200);
    await dave.until(() => daveDialog.state === 'terminated', 5000, 'BYE to dave');
    await hears(customer, [sam]);
    await hears(sam, [customer]);
    expect((await samApi.get('/api/calls/current')).body.calls).toEqual([
      expect.objectContaining({ callId, consult: null }),
    ]);
    expect((await samApi.post(`/api/calls/${callId}/hangup`, {})).status).toBe(200);
    await customer.until(() => customer.dialog?.state === 'terminated', 5000, 'BYE to the customer');
    await allCallsEnded(sys, 8000);
    expect(
      JSON.parse((await closedCdr(sys, callId)).transfer_chain!).map(
        (s: { kind: string; outcome: string }) => `${s.kind}:${s.outcome}`,
      ),
    ).toEqual([
      'conference:joined',
      'consult:target_hung_up',
      'conference:joined',
      'consult:agent_left_conference',
    ]);
  });

  it('dave hangs up while sam still rings: sam answering gets the customer; sam busy rings dave back', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const inCall = await daveInCallSamFree(defer);
    const { sys, events, dave, sam, samId, customer, callId, api } = inCall;
    expect(
      (await api.post(`/api/calls/${callId}/consult`, { to: { kind: 'user', userId: samId } })).status,
    ).toBe(200);
    const toSam = await sam.nextInvite();
    await dave.dialog!.bye();
    await eventCount(
      sys,
      events,
      (e) => e.type === 'call' && e.callId === callId && e.state === 'transferred',
    );
    expect((await api.get('/api/agents/me/state')).body.status).toBe('idle');
    // The customer is still there, on hold music.
    const music = customer.heard;
    await customer.until(() => customer.heard - music > 20, 5000, 'hold music');
    await sam.answer(toSam);
    await hears(customer, [sam]);
    await hears(sam, [customer]);
    await sam.dialog!.bye();
    await allCallsEnded(sys, 8000);
    expect(JSON.parse((await closedCdr(sys, callId)).transfer_chain!)).toEqual([
      expect.objectContaining({ kind: 'consult', outcome: 'completed' }),
    ]);

    // Again, but sam is busy: dave is rung back with the customer (recall).
    const second = await customerCallsDave(defer, sys, dave);
    expect(
      (await api.post(`/api/calls/${second.callId}/consult`, { to: { kind: 'user', userId: samId } })).status,
    ).toBe(200);
    const ringing = await sam.nextInvite();
    await dave.dialog!.bye();
    await eventCount(
      sys,
      events,
      (e) => e.type === 'call' && e.callId === second.callId && e.state === 'transferred',
    );
    ringing.reply(486, { reason: 'Busy Here' });
    const recall = await dave.nextInvite();
    expect(recall.request.get('x-switchboard-call-id')).toBe(second.callId);
    await dave.answer(recall);
    await hears(second.customer, [dave]);
    await hears(dave, [second.customer]);
    await dave.dialog!.bye();
    await allCallsEnded(sys, 8000);
    expect(
      JSON.parse((await closedCdr(sys, second.callId)).transfer_chain!).map(
        (s: { outcome: string }) => s.outcome,
      ),
    ).toEqual(['failed_busy', 'recalled']);
  });
});
