import type { LiveEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { databases } from './call-control-harness';
import { deferrer } from './defer';
import { nextEvent } from './switch-events';
import { TestSystem, userId } from './test-system';

/**
 * The wallboard's figures against the CDR: a scripted day of calls written to `calls` (the CDR),
 * then `GET /api/wallboard` must say exactly what those rows say, and agree with the queue's own
 * statistics; a change (an agent pausing) brings the same figures as a `wallboard` event.
 */
describe('wallboard', () => {
  for (const db of databases)
    it(`per queue and overall figures equal the CDR's for a scripted set of calls [${db}]`, {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await TestSystem.start(db);
      defer(() => sys.stop());
      const queue = async (name: string) =>
        (await sys.db.selectFrom('queues').select('id').where('name', '=', name).executeTakeFirstOrThrow())
          .id;
      const sales = await queue('sales');
      const support = await queue('support');
      // Sales answers within 20 s to count; support within 30 s.
      // Sales means to answer 40 % in time (its own target); support keeps the default 80 %.
      await sys.db
        .updateTable('queues')
        .set({ service_level_s: 20, service_level_target: 40 })
        .where('id', '=', sales)
        .execute();
      await sys.db.updateTable('queues').set({ service_level_s: 30 }).where('id', '=', support).execute();

      // The scripted calls are the whole CDR (the demo data's calls go).
      await sys.db.deleteFrom('call_legs').execute();
      await sys.db.deleteFrom('recordings').execute();
      await sys.db.deleteFrom('calls').execute();
      const now = Date.now();
      const dayStart = new Date(now);
      dayStart.setUTCHours(0, 0, 0, 0);
      // Calls a minute apart starting just after midnight (or an hour ago, whichever is later).
      const base = Math.max(dayStart.getTime() + 1000, now - 3_600_000);
      let n = 0;
      const call = async (
        queueId: number | null,
        o: {
          answerAfterS?: number;
          talkS?: number;
          open?: boolean;
          at?: number;
          type?: 'inbound' | 'manual';
        },
      ) => {
        const started = o.at ?? base + n * 60_000;
        n++;
        const answered = o.answerAfterS === undefined ? null : started + o.answerAfterS * 1000;
        await sys.db
          .insertInto('calls')
          .values({
            call_uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
            type: o.type ?? 'inbound',
            queue_id: queueId,
            agent_user_id: null,
            customer_id: null,
            customer_number: '+12025550100',
            customer_digits: '12025550100',
            caller_number: '+12025550100',
            called_number: '5550100',
            started_at: started,
            answered_at: answered,
            ended_at: o.open ? null : started + 120_000,
            duration_s: answered === null ? 0 : (o.talkS ?? 0),
            disposition: o.open ? null : answered === null ? 'unanswered' : 'answered',
            hangup_cause: null,
            hangup_side: null,
            transfer_chain: null,
            recording_id: null,
            quality: null,
            status: o.open ? 'open' : 'closed',
            node_id: null,
            source_ref: null,
          })
          .execute();
      };
      // sales: answered in 5 s (60 s talk), 15 s (90 s), 40 s (30 s, outside 20 s); 2 abandoned.
      await call(sales, { answerAfterS: 5, talkS: 60 });
      await call(sales, { answerAfterS: 15, talkS: 90 });
      await call(sales, { answerAfterS: 40, talkS: 30 });
      await call(sales, {});
      await call(sales, {});
      // support: answered in 25 s (inside 30 s, 100 s talk); 1 abandoned; one still ringing (open: not counted).
      await call(support, { answerAfterS: 25, talkS: 100 });
      await call(support, {});
      await call(support, { open: true });
      // Not counted: yesterday's call, an outbound (manual) call, a call with no queue.
      await call(sales, { answerAfterS: 1, talkS: 10, at: dayStart.getTime() - 3_600_000 });
      await call(sales, { answerAfterS: 1, talkS: 10, type: 'manual' });
      await call(null, { answerAfterS: 1, talkS: 10 });

      const api = sys.client();
      await api.login('sam');
      const res = await api.get('/api/wallboard');
      expect(res.status).toBe(200);
      const board = res.body;
      const byName = (name: string) => board.queues.find((q: { name: string }) => q.name === name);
      expect(byName('sales')).toMatchObject({
        queueId: sales,
        waiting: 0,
        answeredToday: 3,
        abandonedToday: 2,
        serviceLevel: { percent: 40, thresholdSeconds: 20, targetPercent: 40, answeredWithin: 2, offered: 5 },
        averageSpeedOfAnswerSeconds: 20,
        averageHandleTimeSeconds: 60,
      });
      expect(byName('support')).toMatchObject({
        answeredToday: 1,
        abandonedToday: 1,
        serviceLevel: { percent: 50, thresholdSeconds: 30, targetPercent: 80, answeredWithin: 1, offered: 2 },
        averageSpeedOfAnswerSeconds: 25,
        averageHandleTimeSeconds: 100,
      });
      expect(board.overall).toMatchObject({
        answeredToday: 4,
        abandonedToday: 3,
        serviceLevel: {
          percent: 42.9,
          thresholdSeconds: null,
          targetPercent: null,
          answeredWithin: 3,
          offered: 7,
        },
        averageSpeedOfAnswerSeconds: 21.3,
        averageHandleTimeSeconds: 70,
      });
      // Every member counted once overall (sam is in both queues); nobody is logged in.
      expect(board.overall.agents).toEqual({ idle: 0, on_call: 0, wrapup: 0, paused: 0, logged_out: 5 });
      expect(byName('sales').agents.logged_out).toBe(3);

      // The queue's own statistics count the same way.
      const stats = (await api.get(`/api/queues/${sales}/stats`)).body;
      expect(stats.serviceLevel).toMatchObject({ answeredWithin: 2, offered: 5, percent: 40 });

      // Agents may not see the wallboard.
      const alice = sys.client();
      await alice.login('alice');
      expect((await alice.get('/api/wallboard')).status).toBe(403);

      // A change brings the figures as an event, to supervisors.
      const bobId = await userId(sys, 'bob');
      const event = nextEvent(sys, 'wallboard', () => true, 10_000);
      expect(
        (await api.put(`/api/agents/${bobId}/state`, { status: 'paused', reason: 'Break' })).status,
      ).toBe(200);
      const pushed = (await event) as Extract<LiveEvent, { type: 'wallboard' }>;
      expect(pushed.wallboard.overall).toMatchObject({ answeredToday: 4, abandonedToday: 3 });
      const visible = sys.deps.events.since(0, { userId: bobId, role: 'agent' }).map((p) => p.event.type);
      expect(visible).not.toContain('wallboard');
    });
});
