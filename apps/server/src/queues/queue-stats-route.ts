import type { QueueStats } from '@switchboard/shared';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseParams } from '../http/validate';
import { queueParams, visibleQueue } from './queue-params';

export function startOfUtcDay(now: number): number {
  const d = new Date(now);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

function startOfUtcMonth(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The desk statistics: answered and not answered today and this month, and today's service level. */
export function queueStatsRoute(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps;
  app.get('/queues/:id/stats', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, queueParams);
    const queue = await visibleQueue(deps, c, id);
    const now = Date.now();
    const day = startOfUtcDay(now);
    const month = startOfUtcMonth(now);
    const threshold = queue.service_level_s * 1000;
    const row = await db
      .selectFrom('calls')
      .select([
        sql<number>`sum(case when started_at >= ${day} and disposition = 'answered' then 1 else 0 end)`.as(
          'dayAnswered',
        ),
        sql<number>`sum(case when started_at >= ${day} and status = 'closed' and (disposition is null or disposition <> 'answered') then 1 else 0 end)`.as(
          'dayNotAnswered',
        ),
        sql<number>`sum(case when disposition = 'answered' then 1 else 0 end)`.as('monthAnswered'),
        sql<number>`sum(case when status = 'closed' and (disposition is null or disposition <> 'answered') then 1 else 0 end)`.as(
          'monthNotAnswered',
        ),
        sql<number>`sum(case when started_at >= ${day} and answered_at is not null and answered_at - started_at <= ${threshold} then 1 else 0 end)`.as(
          'dayWithin',
        ),
      ])
      .where('queue_id', '=', id)
      .where('type', '=', 'inbound')
      .where('started_at', '>=', month)
      .executeTakeFirst();
    const n = (v: unknown) => Number(v ?? 0);
    const offered = n(row?.dayAnswered) + n(row?.dayNotAnswered);
    const within = n(row?.dayWithin);
    const stats: QueueStats = {
      queueId: id,
      today: { answered: n(row?.dayAnswered), notAnswered: n(row?.dayNotAnswered) },
      month: { answered: n(row?.monthAnswered), notAnswered: n(row?.monthNotAnswered) },
      waitingNow: deps.queues.waitingCount(id),
      longestWaitS: deps.queues.longestWaitS(id),
      serviceLevel: {
        thresholdS: queue.service_level_s,
        answeredWithin: within,
        offered,
        percent: offered === 0 ? null : Math.round((within / offered) * 1000) / 10,
      },
    };
    return c.json(stats);
  });
}
