import { describe, expect, it } from 'vitest';
import {
  closedCdr,
  customerCallsDave,
  customerPhone,
  databases,
  deskPhone,
  hears,
  legs,
  recordedVoices,
  startSwitch,
  switchWithOutsideCarrier,
} from './call-control-harness';
import { deferrer } from './defer';
import { allCallsEnded, nextEvent, recordEvents } from './switch-events';
import { cdrOf, userId } from './test-system';

/**
 * Blind transfer through the API: the customer (calling in as the
 * carrier to dave's DID) is sent on to a supervisor, an agent of the same queue, an agent of another
 * queue, a queue, an outside number (sipp carrier); transfer recall when the target fails. The
 * agent is out at once; RTP is counted between the customer and whoever has the call.
 */
describe('call control: blind transfer', () => {
  for (const db of databases)
    it(`lists targets by group, then passes the call dave → carol (same queue) → alice (other) → sam (supervisor) [${db}]`, {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, db);
      const events = recordEvents(defer, sys);
      const ids = {
        dave: await userId(sys, 'dave'),
        carol: await userId(sys, 'carol'),
        alice: await userId(sys, 'alice'),
        sam: await userId(sys, 'sam'),
        bob: await userId(sys, 'bob'),
      };
      const dave = await deskPhone(defer, sys, 'dave');
      const carol = await deskPhone(defer, sys, 'carol');
      const alice = await deskPhone(defer, sys, 'alice');
      const sam = await deskPhone(defer, sys, 'sam');
      const { customer, callId } = await customerCallsDave(defer, sys, dave);
      const api = sys.client();
      await api.login('dave');

      const targets = await api.get(`/api/calls/${callId}/transfer-targets`);
      expect(targets.status).toBe(200);
      const byId = (list: Array<{ userId: number }>) => list.map((u) => u.userId);
      // dave's queue is support (carol, dave, sam); alice and bob are sales agents.
      expect(byId(targets.body.supervisors)).toContain(ids.sam);
      expect(byId(targets.body.queueAgents)).toEqual([ids.carol]);
      expect(byId(targets.body.others)).toEqual(expect.arrayContaining([ids.alice, ids.bob]));
      const all = [...targets.body.supervisors, ...targets.body.queueAgents, ...targets.body.others];
      expect(byId(all)).not.toContain(ids.dave);
      expect(all.find((u: { userId: number }) => u.userId === ids.carol)).toMatchObject({
        available: true,
        unavailableReason: null,
        extension: '1003',
      });
      expect(all.find((u: { userId: number }) => u.userId === ids.bob)).toMatchObject({
        available: false,
        unavailableReason: 'offline',
      });
      expect(targets.body.queues.map((q: { name: string }) => q.name)).toEqual(['sales', 'support']);

      // dave → carol: dave is released at once (BYE, `transferred`), the customer hears ringback.
      const transferred = nextEvent(
        sys,
        'call',
        (e) => e.callId === callId && e.state === 'transferred',
        8000,
      );
      const res = await api.post(`/api/calls/${callId}/transfer`, {
        to: { kind: 'user', userId: ids.carol },
      });
      expect(res.status, res.text).toBe(200);
      await transferred;
      await dave.until(() => dave.dialog?.state === 'terminated', 5000, 'BYE to dave');
      const toCarol = await carol.nextInvite();
      expect(toCarol.request.get('x-switchboard-call-id')).toBe(callId);
      expect(toCarol.request.from?.uri.toString()).toMatch(/^sip:\+12025550199@/);
      const ringing = customer.heard;
      await customer.until(() => customer.heard - ringing > 20, 5000, 'ringback while the target rings');
      expect((await api.get('/api/agents/me/state')).body.status).toBe('idle');
      const carolAnswered = nextEvent(
        sys,
        'call',
        (e) => e.callId === callId && e.state === 'answered',
        8000,
      );
      await carol.answer(toCarol);
      await carolAnswered;
      await hears(customer, [carol]);
      await hears(carol, [customer]);
      // The target is on call while in it (the ACD offers her nothing meanwhile).
      expect(sys.deps.agents.board.get(ids.carol)?.status).toBe('on_call');

      // carol → alice (an agent of another queue), then alice → sam (a supervisor).
      const carolApi = sys.client();
      await carolApi.login('carol');
      expect(
        (await carolApi.post(`/api/calls/${callId}/transfer`, { to: { kind: 'user', userId: ids.alice } }))
          .status,
      ).toBe(200);
      await alice.answer(await alice.nextInvite());
      await hears(customer, [alice]);
      await hears(alice, [customer]);
      const aliceApi = sys.client();
      await aliceApi.login('alice');
      expect((await aliceApi.get('/api/calls/current')).body.calls).toEqual([
        expect.objectContaining({ callId, state: 'connected', otherParty: expect.any(String) }),
      ]);
      expect((await carolApi.get('/api/calls/current')).body.calls).toEqual([]);
      expect(
        (await aliceApi.post(`/api/calls/${callId}/transfer`, { to: { kind: 'user', userId: ids.sam } }))
          .status,
      ).toBe(200);
      const toSam = await sam.nextInvite();
      expect(toSam.request.get('x-switchboard-call-id')).toBe(callId);
      await sam.answer(toSam);
      await hears(customer, [sam]);
      await hears(sam, [customer]);
      expect((await aliceApi.get('/api/agents/me/state')).body.status).toBe('idle');

      await customer.dialog!.bye();
      await allCallsEnded(sys, 8000);
      const row = await closedCdr(sys, callId);
      expect(row.disposition).toBe('answered');
      const chain = JSON.parse(row.transfer_chain!);
      expect(
        chain.map((s: { kind: string; by: number; outcome: string }) => [s.kind, s.by, s.outcome]),
      ).toEqual([
        ['blind', ids.dave, 'answered'],
        ['blind', ids.carol, 'answered'],
        ['blind', ids.alice, 'answered'],
      ]);
      expect(chain[2].to).toMatch(/^2001/);
      const legRows = await legs(sys, row.id);
      expect(legRows.map((l) => l.role)).toEqual([
        'customer',
        'agent',
        'destination',
        'destination',
        'supervisor',
      ]);
      expect(legRows.every((l) => l.ended_at !== null)).toBe(true);
      expect(legRows[1]!.hangup_cause).toBe('transferred');
      // Each agent saw `transferred` for the same call ID.
      expect(
        events.filter((e) => e.type === 'call' && e.callId === callId && e.state === 'transferred'),
      ).toHaveLength(3);
    });

  it('to a queue: the customer waits with music, the queue’s agent gets the call and wraps up after it', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const dave = await deskPhone(defer, sys, 'dave');
    const alice = await deskPhone(defer, sys, 'alice');
    const sales = await sys.db
      .selectFrom('queues')
      .select('id')
      .where('name', '=', 'sales')
      .executeTakeFirstOrThrow();
    const aliceApi = sys.client();
    await aliceApi.login('alice');
    // alice stays paused until the customer is seen waiting, so the music can be heard first.
    expect((await aliceApi.put('/api/agents/me/state', { status: 'paused', reason: 'Break' })).status).toBe(
      200,
    );
    const { customer, callId } = await customerCallsDave(defer, sys, dave);
    const api = sys.client();
    await api.login('dave');
    const joined = nextEvent(sys, 'queue_waiting', (e) => e.callId === callId && e.change === 'joined', 8000);
    expect(
      (await api.post(`/api/calls/${callId}/transfer`, { to: { kind: 'queue', queueId: sales.id } })).status,
    ).toBe(200);
    await joined;
    const music = customer.heard;
    await customer.until(() => customer.heard - music > 25, 5000, 'hold music in the queue');
    expect((await aliceApi.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    const offer = await alice.nextInvite();
    expect(offer.request.get('x-switchboard-queue')).toBe('sales');
    expect(offer.request.get('x-switchboard-call-id')).toBe(callId);
    await alice.answer(offer);
    await hears(alice, [customer]);
    await hears(customer, [alice]);
    await alice.dialog!.bye();
    await allCallsEnded(sys, 8000);
    const row = await closedCdr(sys, callId);
    expect(row.queue_id).toBe(sales.id);
    expect(row.disposition).toBe('answered');
    expect(JSON.parse(row.transfer_chain!)).toEqual([
      expect.objectContaining({ kind: 'blind', to: 'queue sales', outcome: 'queued' }),
    ]);
    expect((await aliceApi.get('/api/agents/me/state')).body.status).toBe('wrapup');
  });

  it('to an outside number through the trunk (sipp carrier answers with echo)', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const { sys, carrier } = await switchWithOutsideCarrier(defer, '+12025550123');
    const dave = await deskPhone(defer, sys, 'dave');
    const { customer, callId } = await customerCallsDave(defer, sys, dave);
    const api = sys.client();
    await api.login('dave');
    const bad = await api.post(`/api/calls/${callId}/transfer`, { to: { kind: 'number', number: 'abc' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_number');
    expect(sys.deps.calls.calls.get(callId)?.state).toBe('connected');
    const answered = nextEvent(sys, 'call', (e) => e.callId === callId && e.state === 'transferred', 8000);
    expect(
      (await api.post(`/api/calls/${callId}/transfer`, { to: { kind: 'number', number: '+12025550123' } }))
        .status,
    ).toBe(200);
    await answered;
    // The carrier echoes: the customer hears itself back through the outside leg.
    const start = customer.heard;
    await customer.talk(300);
    await customer.until(() => customer.heard - start > 5, 8000, 'echo from the outside number');
    await hears(customer, [customer]);
    await customer.dialog!.bye();
    expect(await carrier.exited, carrier.output).toBe(0);
    await allCallsEnded(sys, 8000);
    const row = await closedCdr(sys, callId);
    expect(JSON.parse(row.transfer_chain!)).toEqual([
      expect.objectContaining({ kind: 'blind', to: '+12025550123', outcome: 'answered' }),
    ]);
    expect((await legs(sys, row.id)).map((l) => l.role)).toContain('destination');
  });

  it('transfer recall: the target is busy → dave rings again; if dave fails too, the call ends with the cause', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const dave = await deskPhone(defer, sys, 'dave');
    const sam = await deskPhone(defer, sys, 'sam');
    const samId = await userId(sys, 'sam');
    const api = sys.client();
    await api.login('dave');

    // 1) sam busy → recall answered by dave: the customer is back with dave.
    const first = await customerCallsDave(defer, sys, dave);
    expect(
      (await api.post(`/api/calls/${first.callId}/transfer`, { to: { kind: 'user', userId: samId } })).status,
    ).toBe(200);
    (await sam.nextInvite()).reply(486, { reason: 'Busy Here' });
    const recall = await dave.nextInvite();
    expect(recall.request.get('x-switchboard-call-id')).toBe(first.callId);
    expect(recall.request.from?.uri.toString()).toMatch(/^sip:\+12025550199@/);
    await dave.answer(recall);
    await hears(first.customer, [dave]);
    await hears(dave, [first.customer]);
    await dave.dialog!.bye();
    await allCallsEnded(sys, 8000);
    expect(JSON.parse((await closedCdr(sys, first.callId)).transfer_chain!)).toEqual([
      expect.objectContaining({ kind: 'blind', outcome: 'failed_busy' }),
      expect.objectContaining({ kind: 'blind', to: '1004', outcome: 'recalled' }),
    ]);

    // 2) sam declines and dave declines the recall too: the customer gets a BYE, the cause says why.
    const second = await customerCallsDave(defer, sys, dave);
    expect(
      (await api.post(`/api/calls/${second.callId}/transfer`, { to: { kind: 'user', userId: samId } }))
        .status,
    ).toBe(200);
    (await sam.nextInvite()).reply(603, { reason: 'Decline' });
    (await dave.nextInvite()).reply(486, { reason: 'Busy Here' });
    await second.customer.until(
      () => second.customer.dialog?.state === 'terminated',
      8000,
      'BYE to the customer',
    );
    await allCallsEnded(sys, 8000);
    const row = await cdrOf(sys, second.callId);
    expect(row.hangup_cause).toBe('transfer_failed_rejected_recall_busy');
    expect(row.disposition).toBe('answered');
  });

  it('a queue call: the transferring agent goes to wrap-up, the target is on call, then not', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const dave = await deskPhone(defer, sys, 'dave');
    const alice = await deskPhone(defer, sys, 'alice');
    const aliceId = await userId(sys, 'alice');
    const customer = await customerPhone(defer);
    // The support queue's DID: dave is its only member online.
    const placed = customer.call(sys, '5550101', '+12025550199');
    const offer = await dave.nextInvite();
    const callId = offer.request.get('x-switchboard-call-id')!;
    expect(offer.request.get('x-switchboard-queue')).toBe('support');
    await dave.answer(offer);
    expect((await placed).status).toBe(200);
    await hears(customer, [dave]);
    const api = sys.client();
    await api.login('dave');
    expect((await api.get('/api/agents/me/state')).body.status).toBe('on_call');
    expect(
      (await api.post(`/api/calls/${callId}/transfer`, { to: { kind: 'user', userId: aliceId } })).status,
    ).toBe(200);
    expect((await api.get('/api/agents/me/state')).body.status).toBe('wrapup');
    await alice.answer(await alice.nextInvite());
    await hears(customer, [alice]);
    expect(sys.deps.agents.board.get(aliceId)?.status).toBe('on_call');
    await customer.dialog!.bye();
    await allCallsEnded(sys, 8000);
    expect(sys.deps.agents.board.get(aliceId)?.status).not.toBe('on_call');
    const row = await cdrOf(sys, callId);
    expect(row.disposition).toBe('answered');
    expect(row.agent_user_id).toBe(await userId(sys, 'dave'));
  });

  it('two transfers at once: one wins, the other is refused, the customer reaches one target', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const dave = await deskPhone(defer, sys, 'dave');
    const sam = await deskPhone(defer, sys, 'sam');
    const carol = await deskPhone(defer, sys, 'carol');
    const { customer, callId } = await customerCallsDave(defer, sys, dave);
    const api = sys.client();
    await api.login('dave');
    const [a, b] = await Promise.all([
      api.post(`/api/calls/${callId}/transfer`, { to: { kind: 'user', userId: await userId(sys, 'sam') } }),
      api.post(`/api/calls/${callId}/transfer`, { to: { kind: 'user', userId: await userId(sys, 'carol') } }),
    ]);
    expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1);
    expect([404, 409]).toContain(a.status === 200 ? b.status : a.status);
    const winner = a.status === 200 ? sam : carol;
    await winner.answer(await winner.nextInvite());
    await hears(customer, [winner]);
    expect((a.status === 200 ? carol : sam).invites).toHaveLength(0);
    await customer.dialog!.bye();
    await allCallsEnded(sys, 8000);
  });

  it('a recorded call keeps recording after the transfer: the target’s voice is in the agent channel', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    await sys.db
      .updateTable('extensions')
      .set({ recording_enabled: 1 })
      .where('number', '=', '1004')
      .execute();
    const dave = await deskPhone(defer, sys, 'dave');
    const sam = await deskPhone(defer, sys, 'sam');
    const { customer, callId } = await customerCallsDave(defer, sys, dave);
    const api = sys.client();
    await api.login('dave');
    expect(
      (
        await api.post(`/api/calls/${callId}/transfer`, {
          to: { kind: 'user', userId: await userId(sys, 'sam') },
        })
      ).status,
    ).toBe(200);
    await sam.answer(await sam.nextInvite());
    // Only sam speaks in this call (dave and the customer never do).
    await hears(sam, [customer], 25);
    await customer.dialog!.bye();
    await allCallsEnded(sys, 8000);
    const row = await cdrOf(sys, callId);
    const { channels, agentLoud, customerLoud } = await recordedVoices(sys, row.recording_id!);
    expect(channels).toBe(2);
    // sam's voice is on the agent (right) channel (without following the new bridge: none); nothing on the customer's.
    expect(agentLoud).toBeGreaterThanOrEqual(10 * 160);
    expect(customerLoud).toBe(0);
  });
});
