import { describe, expect, it } from 'vitest';
import { databases } from './call-control-harness';
import { deferrer } from './defer';
import { TestSystem, userId } from './test-system';

const Z = (iso: string) => Date.parse(iso);
// Two days in Berlin, the second one the spring DST change (23 hours long).
const from = Z('2026-03-28T00:00:00+01:00');
const to = Z('2026-03-30T00:00:00+02:00');
const period = `from=${from}&to=${to}&tz=Europe/Berlin`;

/**
 * Statistics → Reports against the CDR: a scripted set of calls written to `calls`, and every
 * report (JSON and CSV) must say exactly what those rows say, in the viewer's days and hours.
 */
describe('reports', () => {
  for (const db of databases)
    it(`figures equal the scripted CDR rows, per the viewer's zone and queues [${db}]`, {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await TestSystem.start(db);
      defer(() => sys.stop());
      const queueId = async (name: string) =>
        (await sys.db.selectFrom('queues').select('id').where('name', '=', name).executeTakeFirstOrThrow())
          .id;
      const sales = await queueId('sales');
      const support = await queueId('support');
      // A queue sam (the supervisor) is not a member of.
      const billing = (
        await sys.db
          .insertInto('queues')
          .values({ name: 'billing', created_at: Date.now() })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      await sys.db
        .updateTable('queues')
        .set({ service_level_s: 20, wrapup_s: 10 })
        .where('id', '=', sales)
        .execute();
      await sys.db
        .updateTable('queues')
        .set({ service_level_s: 30, service_level_target: 90, wrapup_s: 0 })
        .where('id', '=', support)
        .execute();
      await sys.db.deleteFrom('call_legs').execute();
      await sys.db.deleteFrom('recordings').execute();
      await sys.db.deleteFrom('calls').execute();
      await sys.db.deleteFrom('agent_pauses').execute();
      await sys.db.deleteFrom('agent_sessions').execute();
      const [alice, bob, carol, dave] = await Promise.all(
        ['alice', 'bob', 'carol', 'dave'].map((u) => userId(sys, u as 'alice')),
      );

      let n = 0;
      const call = async (
        at: string,
        o: {
          queue?: number | null;
          agent?: number | null;
          answerAfterS?: number;
          talkS?: number;
          disposition?: 'answered' | 'unanswered' | 'busy' | 'failed';
          side?: 'customer' | 'system';
          type?: 'inbound' | 'manual';
          open?: boolean;
        },
      ) => {
        n++;
        const started = Z(at);
        const answered = o.answerAfterS === undefined ? null : started + o.answerAfterS * 1000;
        const ended = answered !== null ? answered + (o.talkS ?? 0) * 1000 : started + 20_000;
        const row = await sys.db
          .insertInto('calls')
          .values({
            call_uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
            type: o.type ?? 'inbound',
            queue_id: o.queue ?? null,
            agent_user_id: o.agent ?? null,
            customer_id: null,
            customer_number: '+12025550100',
            customer_digits: '12025550100',
            caller_number: '+12025550100',
            called_number: '5550100',
            started_at: started,
            answered_at: answered,
            ended_at: o.open ? null : ended,
            duration_s: o.talkS ?? 0,
            ring_time_s: 3,
            disposition: o.open ? null : (o.disposition ?? (answered === null ? 'unanswered' : 'answered')),
            hangup_cause: o.open ? null : 'normal_clearing',
            hangup_side: o.open ? null : (o.side ?? 'customer'),
            transfer_chain: null,
            recording_id: null,
            quality: null,
            status: o.open ? 'open' : 'closed',
            node_id: null,
            source_ref: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      };
      // Day 1 (Berlin, +01:00), sales: answered in 5 s, 30 s (outside 20 s) and 10 s; one abandoned
      // by the caller, one the system gave up on (no answer).
      const first = await call('2026-03-28T10:00:00+01:00', {
        queue: sales,
        agent: alice,
        answerAfterS: 5,
        talkS: 60,
      });
      await call('2026-03-28T10:10:00+01:00', { queue: sales, agent: bob, answerAfterS: 30, talkS: 120 });
      await call('2026-03-28T10:20:00+01:00', { queue: sales });
      await call('2026-03-28T10:30:00+01:00', { queue: sales, agent: bob, answerAfterS: 10, talkS: 60 });
      await call('2026-03-28T11:00:00+01:00', { queue: sales, side: 'system' });
      // Outbound calls without a queue: administrators only.
      await call('2026-03-28T14:00:00+01:00', { type: 'manual', agent: alice, answerAfterS: 2, talkS: 40 });
      await call('2026-03-28T15:00:00+01:00', { type: 'manual', agent: bob, disposition: 'busy' });
      // Day 2: 00:30 in Berlin is still the 28th in UTC.
      await call('2026-03-29T00:30:00+01:00', { queue: sales, agent: alice, answerAfterS: 10, talkS: 30 });
      await call('2026-03-29T12:00:00+02:00', { queue: support, agent: carol, answerAfterS: 25, talkS: 100 });
      await call('2026-03-29T12:05:00+02:00', { queue: support });
      await call('2026-03-29T13:00:00+02:00', { queue: billing, agent: dave, answerAfterS: 3, talkS: 50 });
      // Not counted: before the period, and a call still going.
      await call('2026-03-27T12:00:00+01:00', { queue: sales, agent: alice, answerAfterS: 1, talkS: 10 });
      await call('2026-03-29T16:00:00+02:00', { queue: sales, open: true });

      const sam = sys.client();
      await sam.login('sam');
      const admin = sys.client();
      await admin.login('admin');
      const agent = sys.client();
      await agent.login('alice');

      // Calls by outcome, per Berlin day, sam's queues (sales, support).
      const calls = await sam.get(`/api/reports/calls?${period}&bucket=day`);
      expect(calls.status).toBe(200);
      expect(calls.body.buckets).toEqual([
        {
          start: from,
          label: '2026-03-28T00:00',
          answered: 3,
          abandoned: 1,
          no_answer: 1,
          busy: 0,
          failed: 0,
          abandonRate: 20,
        },
        {
          start: Z('2026-03-29T00:00:00+01:00'),
          label: '2026-03-29T00:00',
          answered: 2,
          abandoned: 1,
          no_answer: 0,
          busy: 0,
          failed: 0,
          abandonRate: 33.3,
        },
      ]);
      expect(calls.body.totals).toEqual({
        answered: 5,
        abandoned: 2,
        no_answer: 1,
        busy: 0,
        failed: 0,
        offered: 8,
        abandonRate: 25,
      });
      // The same calls in UTC days: the 00:30 call belongs to the 28th.
      const utc = await sam.get(
        `/api/reports/calls?from=${Z('2026-03-28T00:00:00Z')}&to=${Z('2026-03-30T00:00:00Z')}&tz=UTC`,
      );
      expect(utc.body.buckets.map((b: { answered: number }) => b.answered)).toEqual([4, 1]);
      // Administrators see every queue and the calls without one.
      const all = (await admin.get(`/api/reports/calls?${period}`)).body;
      expect(all.totals).toEqual({
        answered: 7,
        abandoned: 2,
        no_answer: 1,
        busy: 1,
        failed: 0,
        offered: 9,
        abandonRate: 22.2,
      });

      // Hours: the DST day has 23, and the calls fall in their Berlin hour.
      const hours = (await sam.get(`/api/reports/calls?${period}&bucket=hour`)).body;
      expect(hours.buckets).toHaveLength(47);
      const hour = (label: string) => hours.buckets.find((b: { label: string }) => b.label === label);
      expect(hour('2026-03-28T10:00')).toMatchObject({ answered: 3, abandoned: 1, no_answer: 0 });
      expect(hour('2026-03-28T11:00')).toMatchObject({ answered: 0, no_answer: 1, abandonRate: 0 });
      expect(hour('2026-03-29T03:00')!.start).toBe(Z('2026-03-29T01:00:00Z'));

      // Service level per queue per day, each queue with its own threshold.
      const sl = (await sam.get(`/api/reports/service-level?${period}`)).body;
      expect(sl.queues.map((q: { name: string }) => q.name)).toEqual(['sales', 'support']);
      expect(sl.queues[0]).toMatchObject({
        queueId: sales,
        thresholdSeconds: 20,
        targetPercent: 80,
        series: [
          { offered: 5, answeredWithin: 2, percent: 40 },
          { offered: 1, answeredWithin: 1, percent: 100 },
        ],
        total: { offered: 6, answeredWithin: 3, percent: 50 },
      });
      expect(sl.queues[1]).toMatchObject({
        thresholdSeconds: 30,
        targetPercent: 90,
        series: [
          { offered: 0, answeredWithin: 0, percent: null },
          { offered: 2, answeredWithin: 1, percent: 50 },
        ],
      });

      // Signed-in spans and pauses, as the agent state service records them.
      const span = async (user: number | undefined, start: string, end: string | null, node = 'n1') =>
        (
          await sys.db
            .insertInto('agent_sessions')
            .values({
              user_id: user!,
              node_id: node,
              signed_in_at: Z(start),
              signed_out_at: end === null ? null : Z(end),
              end_reason: end === null ? null : 'signed_out',
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      // alice: 09:50–10:30 (2400 s) with a 10-minute pause (600 s): 1800 s available. The day
      // before the period does not count.
      const aliceSpan = await span(alice, '2026-03-28T09:50:00+01:00', '2026-03-28T10:30:00+01:00');
      await sys.db
        .insertInto('agent_pauses')
        .values({
          session_id: aliceSpan,
          user_id: alice!,
          reason: 'Break',
          started_at: Z('2026-03-28T10:05:00+01:00'),
          ended_at: Z('2026-03-28T10:15:00+01:00'),
        })
        .execute();
      await span(alice, '2026-03-27T12:00:00+01:00', '2026-03-27T13:00:00+01:00');
      // bob: from before the period to 00:30 (1800 s inside it), then 10:00–11:00 on one node and
      // 10:30–11:10 on another, counted once: 10:00–11:10 (4200 s). 6000 s in all.
      await span(bob, '2026-03-27T23:30:00+01:00', '2026-03-28T00:30:00+01:00');
      await span(bob, '2026-03-28T10:00:00+01:00', '2026-03-28T11:00:00+01:00');
      await span(bob, '2026-03-28T10:30:00+01:00', '2026-03-28T11:10:00+01:00', 'n2');
      // carol: still signed in, counted to the period's end: 11:00 to midnight, 13 h = 46800 s.
      await span(carol, '2026-03-29T11:00:00+02:00', null);

      // Agents: talk + the queue's wrap-up; occupancy = handle ÷ (signed in − paused).
      const agents = (await sam.get(`/api/reports/agents?${period}`)).body.agents;
      expect(agents).toEqual([
        {
          agentUserId: alice,
          name: expect.any(String),
          answered: 2,
          talkSeconds: 90,
          wrapupSeconds: 20,
          averageHandleSeconds: 55,
          signedInSeconds: 2400,
          pausedSeconds: 600,
          workedSeconds: 1800,
          // 110 / 1800
          occupancyPercent: 6.1,
        },
        expect.objectContaining({
          agentUserId: bob,
          answered: 2,
          talkSeconds: 180,
          wrapupSeconds: 20,
          averageHandleSeconds: 100,
          signedInSeconds: 6000,
          pausedSeconds: 0,
          workedSeconds: 6000,
          // 200 / 6000
          occupancyPercent: 3.3,
        }),
        expect.objectContaining({
          agentUserId: carol,
          answered: 1,
          talkSeconds: 100,
          signedInSeconds: 46_800,
          // 100 / 46800
          occupancyPercent: 0.2,
        }),
      ]);
      const onlyBob = (await sam.get(`/api/reports/agents?${period}&agentId=${bob}`)).body.agents;
      expect(onlyBob.map((a: { agentUserId: number }) => a.agentUserId)).toEqual([bob]);
      const adminAgents = (await admin.get(`/api/reports/agents?${period}`)).body.agents;
      const adminAlice = adminAgents.find((a: { agentUserId: number }) => a.agentUserId === alice);
      // Her outbound call too: (110 + 40) / 1800.
      expect(adminAlice).toMatchObject({ answered: 3, workedSeconds: 1800, occupancyPercent: 8.3 });
      // dave answered but no signed-in time is recorded for him: no occupancy rather than a guess.
      expect(adminAgents.find((a: { agentUserId: number }) => a.agentUserId === dave)).toMatchObject({
        answered: 1,
        signedInSeconds: 0,
        occupancyPercent: null,
      });

      // CSV: the same figures, streamed.
      const csv = await sam.get(`/api/reports/calls?${period}&format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="calls-.*\.csv"/);
      expect(
        csv.text
          .replace(/^\ufeff/, '')
          .trim()
          .split('\r\n'),
      ).toEqual([
        'Period start,Answered,Abandoned,No answer,Busy,Failed,Abandon rate (%)',
        '2026-03-28T00:00,3,1,1,0,0,20',
        '2026-03-29T00:00,2,1,0,0,0,33.3',
      ]);
      const slCsv = await sam.get(`/api/reports/service-level?${period}&format=csv`);
      expect(slCsv.text).toContain('2026-03-28T00:00,sales,20,5,2,40,80');
      const agentsCsv = await sam.get(`/api/reports/agents?${period}&format=csv`);
      expect(agentsCsv.text).toContain(
        'Agent,Answered,Talk (s),Wrap-up (s),Average handle (s),Signed in (s),Paused (s),Worked (s),Occupancy (%)',
      );
      expect(agentsCsv.text).toContain(',2,180,20,100,6000,0,6000,3.3');
      expect(agentsCsv.text).toContain(',2,90,20,55,2400,600,1800,6.1');

      // The queue filter offers sam's queues only.
      const choices = (await sam.get('/api/reports/queues')).body.queues;
      expect(choices.map((q: { name: string }) => q.name)).toEqual(['sales', 'support']);

      // Refusals: another supervisor's queue, agents, bad input.
      expect((await sam.get(`/api/reports/calls?${period}&queueId=${billing}`)).status).toBe(403);
      expect((await admin.get(`/api/reports/calls?${period}&queueId=${billing}`)).body.totals.answered).toBe(
        1,
      );
      expect((await agent.get(`/api/reports/calls?${period}`)).status).toBe(403);
      const tooLong = await sam.get(
        `/api/reports/calls?from=${from}&to=${from + 40 * 86_400_000}&bucket=hour`,
      );
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toContain('31 days');
      expect((await sam.get(`/api/reports/calls?from=${from}&to=${to}&tz=Mars/Olympus`)).status).toBe(400);
      expect((await sam.get(`/api/reports/calls?from=${to}&to=${from}`)).status).toBe(400);

      // Call detail: legs, steps, recording and quality of one call.
      await sys.db
        .insertInto('call_legs')
        .values([
          {
            call_id: first,
            leg_uuid: 'leg-c',
            role: 'customer',
            peer: '+12025550100',
            started_at: Z('2026-03-28T09:00:00Z'),
            answered_at: Z('2026-03-28T09:00:00Z'),
            ended_at: Z('2026-03-28T09:01:05Z'),
            disposition: 'answered',
            hangup_cause: 'normal_clearing',
          },
          {
            call_id: first,
            leg_uuid: 'leg-a',
            role: 'agent',
            peer: '1001',
            started_at: Z('2026-03-28T09:00:02Z'),
            answered_at: Z('2026-03-28T09:00:05Z'),
            ended_at: Z('2026-03-28T09:01:05Z'),
            disposition: 'answered',
            hangup_cause: 'normal_clearing',
          },
        ])
        .execute();
      const rec = await sys.db
        .insertInto('recordings')
        .values({
          call_id: first,
          agent_user_id: alice,
          path: 'x.wav',
          duration_ms: 60_000,
          started_at: Z('2026-03-28T09:00:05Z'),
          status: 'complete',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const leg = {
        packetsReceived: 3000,
        packetsSent: 3000,
        packetsLost: 30,
        lossRate: 0.01,
        jitterMs: 4,
        rttMs: 40,
        remoteLossRate: null,
        remoteJitterMs: null,
      };
      await sys.db
        .updateTable('calls')
        .set({
          recording_id: rec.id,
          quality: JSON.stringify({ customer: leg, broken: { nope: 1 } }),
          transfer_chain: JSON.stringify([{ at: Z('2026-03-28T09:00:30Z'), kind: 'blind', to: '1002' }]),
          wrapup_code: 'Sale',
        })
        .where('id', '=', first)
        .execute();
      const detail = await sam.get(`/api/cdr/${first}/detail`);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        id: first,
        queueName: 'sales',
        outcome: 'answered',
        waitSeconds: 5,
        ringSeconds: 3,
        talkSeconds: 60,
        wrapupCode: 'Sale',
        recording: { id: rec.id, durationMs: 60_000, status: 'complete' },
        steps: [{ kind: 'blind', to: '1002' }],
      });
      expect(detail.body.legs.map((l: { role: string }) => l.role)).toEqual(['customer', 'agent']);
      expect(detail.body.quality).toHaveLength(1);
      expect(detail.body.quality[0].leg).toBe('customer');
      expect(detail.body.quality[0].mos).toBeGreaterThan(4);
      expect(detail.body.quality[0].mos).toBeLessThan(4.5);
      // The agent of the call may see it; another agent gets "no such call".
      expect((await agent.get(`/api/cdr/${first}/detail`)).status).toBe(200);
      const bobClient = sys.client();
      await bobClient.login('bob');
      expect((await bobClient.get(`/api/cdr/${first}/detail`)).status).toBe(404);
      expect((await sam.get('/api/cdr/999999/detail')).status).toBe(404);
      expect((await sam.get('/api/cdr/abc/detail')).status).toBe(400);
    });
});
