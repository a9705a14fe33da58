import type { LiveEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { MONITOR_HEADER } from '../src/switch/calls/call-monitor';
import {
  closedCdr,
  customerCallsDave,
  databases,
  deskPhone,
  eventCount,
  hears,
  legs,
  recordedVoices,
  startSwitch,
} from './call-control-harness';
import type { SoftPhone } from './call-peers';
import { type Defer, deferrer } from './defer';
import { allCallsEnded, recordEvents } from './switch-events';
import type { TestSystem } from './test-system';
import { userId } from './test-system';

/**
 * Supervisor monitoring: the customer calls dave (agent of the support queue), sam (supervisor of
 * that queue) is rung on his own desk phone and joins the call's mix. Who hears whom is measured on
 * each phone's received audio (loud frames counted per phone).
 */

/** `speaker` talks until every phone of `proof` hears it; meanwhile none of `deaf` hears anything. */
async function heardOnlyBy(speaker: SoftPhone, proof: SoftPhone[], deaf: SoftPhone[]) {
  const before = deaf.map((p) => p.heard);
  await hears(speaker, proof, 25);
  deaf.forEach((p, i) => {
    expect(p.heard - before[i]!, `phone ${p.port} heard the speaker`).toBeLessThan(5);
  });
}

/** The events `user` may see on their own live stream. */
function eventsOf(sys: TestSystem, user: number, role: 'agent' | 'supervisor'): LiveEvent[] {
  return sys.deps.events.since(0, { userId: user, role }).map((p) => p.event);
}

async function supportCallWithSam(
  defer: Defer,
  db: 'sqlite' | 'postgres' = 'sqlite',
  options: { daveRecords?: boolean } = {},
) {
  const sys = await startSwitch(defer, {}, db);
  if (options.daveRecords)
    await sys.db
      .updateTable('extensions')
      .set({ recording_enabled: 1 })
      .where('number', '=', '1004')
      .execute();
  const events = recordEvents(defer, sys);
  const dave = await deskPhone(defer, sys, 'dave');
  const sam = await deskPhone(defer, sys, 'sam');
  const { customer, callId } = await customerCallsDave(defer, sys, dave);
  const samApi = sys.client();
  await samApi.login('sam');
  const ids = { dave: await userId(sys, 'dave'), sam: await userId(sys, 'sam') };
  return { sys, events, dave, sam, customer, callId, samApi, ids };
}

/** sam starts monitoring in `mode` and answers his phone; resolves once the session is active. */
async function samJoins(call: Awaited<ReturnType<typeof supportCallWithSam>>, mode: string, count = 1) {
  const { sys, events, sam, samApi, callId } = call;
  const res = await samApi.post(`/api/calls/${callId}/monitor`, { mode });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ callId, mode, state: 'ringing' });
  const invite = await sam.nextInvite();
  expect(invite.request.get(MONITOR_HEADER)).toBe(callId);
  await sam.answer(invite);
  await eventCount(
    sys,
    events,
    (e) => e.type === 'monitor' && e.callId === callId && e.state === 'active',
    count,
  );
}

describe('call monitoring', () => {
  for (const db of databases)
    it(`listen, whisper, barge on one call leg; leaving gives the two parties their bridge back [${db}]`, {
      timeout: 90_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const call = await supportCallWithSam(defer, db);
      const { sys, dave, sam, customer, callId, samApi, ids } = call;
      await samJoins(call, 'listen');
      expect((await samApi.get('/api/monitoring/calls')).body.calls).toEqual([
        expect.objectContaining({
          callId,
          agentUserId: ids.dave,
          agentName: 'Dave',
          session: expect.objectContaining({ mode: 'listen', state: 'active' }),
        }),
      ]);

      // Listen: sam hears both sides; nobody hears sam; the two still hear each other.
      await hears(customer, [sam, dave]);
      await hears(dave, [sam, customer]);
      const quiet = [customer.heard, dave.heard];
      await sam.talk(800);
      expect(customer.heard - quiet[0]!).toBeLessThan(5);
      expect(dave.heard - quiet[1]!).toBeLessThan(5);
      // A silent listen is never shown to the agent.
      expect(eventsOf(sys, ids.dave, 'agent').filter((e) => e.type === 'monitor')).toEqual([]);
      // Listening is work: sam is on this call, so the ACD offers him nothing meanwhile.
      expect(sys.deps.agents.presence.callsOfUser(ids.sam)).toEqual([callId]);

      // Whisper: the agent hears sam, the customer does not; same SIP dialog (no new INVITE).
      const whisper = await samApi.patch(`/api/calls/${callId}/monitor`, { mode: 'whisper' });
      expect(whisper.status).toBe(200);
      expect(whisper.body).toMatchObject({ mode: 'whisper', state: 'active' });
      await heardOnlyBy(sam, [dave], [customer]);
      await hears(customer, [sam, dave]);
      expect(sam.invites).toEqual([]);
      expect(
        eventsOf(sys, ids.dave, 'agent').filter((e) => e.type === 'monitor' && e.state === 'active'),
      ).toEqual([expect.objectContaining({ mode: 'whisper', supervisor: 'Sam', audience: 'agent' })]);

      // Barge: a three-way call.
      expect((await samApi.patch(`/api/calls/${callId}/monitor`, { mode: 'barge' })).status).toBe(200);
      await hears(sam, [dave, customer]);
      await hears(customer, [sam, dave]);
      await hears(dave, [sam, customer]);

      // Leave: sam gets a BYE, the customer and dave go on talking to each other only.
      expect((await samApi.delete(`/api/calls/${callId}/monitor`)).status).toBe(200);
      await sam.until(() => sam.dialog?.state === 'terminated', 5000, 'BYE to sam');
      expect(sys.deps.agents.presence.callsOfUser(ids.sam)).toEqual([]);
      await hears(customer, [dave]);
      await hears(dave, [customer]);
      expect(sys.deps.calls.calls.get(callId)?.state).toBe('connected');
      expect(
        eventsOf(sys, ids.dave, 'agent')
          .filter((e) => e.type === 'monitor')
          .at(-1),
      ).toMatchObject({
        state: 'ended',
      });
      expect((await samApi.delete(`/api/calls/${callId}/monitor`)).status).toBe(404);

      await customer.dialog!.bye();
      await allCallsEnded(sys, 8000);
      await sys.deps.callMonitor.flush();
      const row = await closedCdr(sys, callId);
      const supervisorLegs = (await legs(sys, row.id)).filter((l) => l.role === 'supervisor');
      expect(supervisorLegs).toEqual([
        expect.objectContaining({
          hangup_cause: 'monitor_listen_whisper_barge',
          disposition: 'answered',
          peer: expect.stringContaining('2001'),
        }),
      ]);
      expect(supervisorLegs[0]!.ended_at).not.toBeNull();
      const audit = await sys.db
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'entity_id'])
        .where('action', 'like', 'call.monitor.%')
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'call.monitor.start',
        'call.monitor.mode',
        'call.monitor.mode',
        'call.monitor.stop',
      ]);
      expect(audit.every((a) => a.actor_id === ids.sam && a.entity_id === callId)).toBe(true);
    });

  it('a recorded call keeps recording while monitored: the customer left, the agent side right, a silent listener never, a barging supervisor yes', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const call = await supportCallWithSam(defer, 'sqlite', { daveRecords: true });
    const { sys, dave, sam, customer, callId, samApi } = call;
    await samJoins(call, 'listen');
    // Dave never speaks: whatever is on the agent channel is sam's. Sam talks while listening,
    // then the customer, then sam again barging.
    await sam.talk(800);
    await hears(customer, [sam, dave], 25);
    expect((await samApi.patch(`/api/calls/${callId}/monitor`, { mode: 'barge' })).status).toBe(200);
    await hears(sam, [dave, customer], 25);
    await customer.dialog!.bye();
    await allCallsEnded(sys, 8000);
    const row = await closedCdr(sys, callId);
    const { customerLoud, agentLoud, firstAgentLoud, lastCustomerLoud } = await recordedVoices(
      sys,
      row.recording_id!,
    );
    expect(customerLoud).toBeGreaterThanOrEqual(20 * 160);
    expect(agentLoud).toBeGreaterThanOrEqual(20 * 160);
    // The listen-mode talk (before the customer spoke) is not there; the barge (after) is.
    expect(firstAgentLoud).toBeGreaterThan(lastCustomerLoud);
  });

  it('refusals: an agent, a supervisor of another queue (403); bad input; the supervisor hanging up leaves the call up; the call ending hangs the supervisor up', {
    timeout: 90_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const call = await supportCallWithSam(defer);
    const { sys, sam, dave, customer, callId, samApi, ids } = call;

    const alice = sys.client();
    await alice.login('alice');
    const byAgent = await alice.post(`/api/calls/${callId}/monitor`, { mode: 'listen' });
    expect(byAgent.status).toBe(403);

    // sam supervises sales only now: the call (dave's, in support) is not his.
    const support = await sys.db
      .selectFrom('queues')
      .select('id')
      .where('name', '=', 'support')
      .executeTakeFirstOrThrow();
    await sys.db
      .deleteFrom('queue_members')
      .where('queue_id', '=', support.id)
      .where('user_id', '=', ids.sam)
      .execute();
    const otherQueue = await samApi.post(`/api/calls/${callId}/monitor`, { mode: 'listen' });
    expect(otherQueue.status).toBe(403);
    expect(otherQueue.body.error.code).toBe('forbidden');
    expect((await samApi.get('/api/monitoring/calls')).body.calls).toEqual([]);
    expect(sam.invites).toEqual([]);

    // An administrator may, but needs a phone to be rung on.
    const admin = sys.client();
    await admin.login('admin');
    const adminRes = await admin.post(`/api/calls/${callId}/monitor`, { mode: 'listen' });
    expect(adminRes.status).toBe(409);
    expect(adminRes.body.error.code).toBe('no_extension');

    await sys.db.insertInto('queue_members').values({ queue_id: support.id, user_id: ids.sam }).execute();
    expect((await samApi.post(`/api/calls/${callId}/monitor`, { mode: 'spy' })).status).toBe(400);
    expect(
      (await samApi.post('/api/calls/00000000-0000-4000-8000-000000000000/monitor', { mode: 'listen' }))
        .status,
    ).toBe(404);
    expect((await samApi.patch(`/api/calls/${callId}/monitor`, { mode: 'barge' })).status).toBe(404);
    expect(
      (await sys.db.selectFrom('audit_log').select('id').where('action', 'like', 'call.monitor.%').execute())
        .length,
    ).toBe(0);

    // sam hangs up his phone: only he leaves.
    await samJoins(call, 'barge');
    await hears(sam, [dave, customer]);
    await sam.dialog!.bye();
    await eventCount(sys, call.events, (e) => e.type === 'monitor' && e.state === 'ended');
    await hears(customer, [dave]);
    expect(sys.deps.calls.calls.get(callId)?.state).toBe('connected');

    // Again, and the customer hangs up: sam's phone gets a BYE.
    await samJoins(call, 'listen', 2);
    await hears(dave, [sam]);
    await customer.dialog!.bye();
    await sam.until(() => sam.dialog?.state === 'terminated', 5000, 'BYE to sam');
    await allCallsEnded(sys, 8000);
    await sys.deps.callMonitor.flush();
    const row = await closedCdr(sys, callId);
    const causes = (await legs(sys, row.id))
      .filter((l) => l.role === 'supervisor')
      .map((l) => l.hangup_cause);
    expect(causes).toEqual(['monitor_barge', 'monitor_listen']);
  });
});
