import {
  errorCodes,
  maskNumbersInText,
  type QueueOverview,
  type QueueSummary,
  roleAtLeast,
  type WaitingCall,
  waitingAssignSchema,
  waitingMoveSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { callParams, queueParams, visibleQueue } from './queue-params';
import { queueStatsRoute, startOfUtcDay } from './queue-stats-route';

export { callParams, queueParams } from './queue-params';

/**
 * Queues for the desk: the list every desk user may see, each queue's waiting callers
 * with reordering and a supervisor's "send to agent", and the desk statistics.
 * Waiting calls are the dispatcher's live state on this node (empty until the switch feeds calls).
 */
export function queueRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  queueListRoute(app, deps);
  waitingListRoute(app, deps);
  waitingMoveRoute(app, deps);
  waitingAssignRoute(app, deps);
  queueStatsRoute(app, deps);
  return app;
}

/** Every queue the caller may see with its live counts; supervisors also get members and today's calls. */
function queueListRoute(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps;
  app.get('/queues', requireRole('agent'), async (c) => {
    const user = c.get('user')!;
    const since = startOfUtcDay(Date.now());
    const supervisor = roleAtLeast(user.role, 'supervisor');
    let query = db.selectFrom('queues').select(['id', 'name', 'strategy']).orderBy('name');
    if (!supervisor) {
      query = query.where(
        'id',
        'in',
        db.selectFrom('queue_members').select('queue_id').where('user_id', '=', user.id),
      );
    }
    const queues = await query.execute();
    const summaries: QueueSummary[] = queues.map((q) => ({
      id: q.id,
      name: q.name,
      waiting: deps.queues.waitingCount(q.id),
      agentsAvailable: deps.queues.agentsAvailable(q.id),
    }));
    if (!supervisor) return c.json({ since, queues: summaries });

    const members = await db
      .selectFrom('queue_members')
      .select([
        'queue_id',
        sql<number>`count(*)`.as('members'),
        sql<number>`sum(case when paused = 1 then 1 else 0 end)`.as('paused'),
      ])
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
    const overview: QueueOverview[] = summaries.map((s, i) => {
      const m = members.find((r) => r.queue_id === s.id);
      const t = today.find((r) => r.queue_id === s.id);
      return {
        ...s,
        strategy: queues[i]!.strategy,
        members: Number(m?.members ?? 0),
        pausedMembers: Number(m?.paused ?? 0),
        callsToday: Number(t?.n ?? 0),
        answeredToday: Number(t?.answered ?? 0),
        longestWaitS: deps.queues.longestWaitS(s.id),
      };
    });
    return c.json({ since, queues: overview });
  });
}

/** A queue's waiting callers, latest arrival on top. */
function waitingListRoute(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps;
  app.get('/queues/:id/waiting', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, queueParams);
    await visibleQueue(deps, c, id);
    const mask = await deps.settings.numberMaskerFor(c.get('user')!.role);
    const now = Date.now();
    const waiting = deps.queues.waiting(id);
    // Placeholders' dial counts are the queued-callback rows'.
    const placeholderIds = waiting.flatMap((w) => (w.call.callback ? [w.call.callback.id] : []));
    const attempts = new Map<number, number>();
    if (placeholderIds.length) {
      const rows = await db
        .selectFrom('queued_callbacks')
        .select(['id', 'attempts'])
        .where('id', 'in', placeholderIds)
        .execute();
      for (const r of rows) attempts.set(r.id, r.attempts);
    }
    const calls: WaitingCall[] = waiting
      .map((w) => ({
        callId: w.call.callId,
        callerNumber: mask(w.call.callerNumber),
        // The display name is the caller's to choose: it may well be their number.
        callerName: w.call.callerName ? maskNumbersInText(w.call.callerName, mask) : null,
        waitingSince: w.joinedAt,
        waitS: Math.max(0, Math.floor((now - w.joinedAt) / 1000)),
        position: w.position,
        ringing: w.ringing,
        callback: w.call.callback
          ? {
              id: w.call.callback.id,
              status: w.ringing.length > 0 ? ('calling' as const) : ('waiting' as const),
              attempts: attempts.get(w.call.callback.id) ?? 0,
            }
          : null,
      }))
      // The latest arrival on top; position 1 (served next) at the bottom.
      .reverse();
    return c.json({ queueId: id, calls });
  });
}

/** Reordering a waiting caller. */
function waitingMoveRoute(app: Hono<AppEnv>, deps: AppDeps) {
  app.post('/queues/:id/waiting/:callId/position', requireRole('agent'), async (c) => {
    const { id, callId } = parseParams(c, callParams);
    await visibleQueue(deps, c, id);
    const { move } = await parseBody(c, waitingMoveSchema);
    const position = deps.queues.move(id, callId, move);
    if (position === null) throw ApiError.notFound('That call is no longer waiting in this queue');
    await deps.queuedCallbacks.keepOrder(id);
    return c.json({ callId, position });
  });
}

/** A supervisor's "send to agent": rings that agent with the waiting call. */
function waitingAssignRoute(app: Hono<AppEnv>, deps: AppDeps) {
  app.post('/queues/:id/waiting/:callId/assign', requireRole('supervisor'), async (c) => {
    const { id, callId } = parseParams(c, callParams);
    await visibleQueue(deps, c, id);
    const { userId } = await parseBody(c, waitingAssignSchema);
    if (!deps.agents.isAgent(userId)) {
      throw new ApiError(400, errorCodes.validation, 'userId: No such agent', {
        fields: [{ field: 'userId', message: 'No such agent' }],
      });
    }
    const result = deps.queues.assign(id, callId, userId);
    if (result === 'no_such_call') throw ApiError.notFound('That call is no longer waiting in this queue');
    if (result === 'unavailable') {
      throw ApiError.conflict(
        'That agent cannot take a call now (paused, busy, ringing, logged out or not registered)',
      );
    }
    return c.json({ callId, userId, status: 'ringing' });
  });
}
