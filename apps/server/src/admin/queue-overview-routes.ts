import { Hono } from 'hono';
import { sql } from 'kysely';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';

/**
 * Supervisor's queue overview, from the database only: waiting = open inbound calls in the queue not
 * yet answered (0 until the switch puts live calls there), members and paused members, today's calls.
 */
export function queueOverviewRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  app.get('/queues', requireRole('supervisor'), async (c) => {
    const startOfDay = new Date();
    startOfDay.setUTCHours(0, 0, 0, 0);
    const since = startOfDay.getTime();
    const queues = await db.selectFrom('queues').select(['id', 'name', 'strategy']).orderBy('name').execute();
    const members = await db
      .selectFrom('queue_members')
      .select([
        'queue_id',
        sql<number>`count(*)`.as('members'),
        sql<number>`sum(case when paused = 1 then 1 else 0 end)`.as('paused'),
      ])
      .groupBy('queue_id')
      .execute();
    const waiting = await db
      .selectFrom('calls')
      .select(['queue_id', sql<number>`count(*)`.as('n')])
      .where('status', '=', 'open')
      .where('answered_at', 'is', null)
      .where('queue_id', 'is not', null)
      .groupBy('queue_id')
      .execute();
    const today = await db
      .selectFrom('calls')
      .select([
        'queue_id',
        sql<number>`count(*)`.as('n'),
        sql<number>`sum(case when disposition = 'answered' then 1 else 0 end)`.as('answered'),
      ])
      .where('started_at', '>=', since)
      .where('queue_id', 'is not', null)
      .groupBy('queue_id')
      .execute();
    return c.json({
      since,
      queues: queues.map((q) => {
        const m = members.find((r) => r.queue_id === q.id);
        const t = today.find((r) => r.queue_id === q.id);
        return {
          id: q.id,
          name: q.name,
          strategy: q.strategy,
          waiting: Number(waiting.find((r) => r.queue_id === q.id)?.n ?? 0),
          members: Number(m?.members ?? 0),
          pausedMembers: Number(m?.paused ?? 0),
          callsToday: Number(t?.n ?? 0),
          answeredToday: Number(t?.answered ?? 0),
        };
      }),
    });
  });
  return app;
}
