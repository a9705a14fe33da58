import { Hono } from 'hono';
import { audit } from '../admin/admin-helpers';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseParams } from '../http/validate';
import { callParams } from '../queues/queue-routes';

/**
 * A supervisor takes a callback placeholder out of a queue's waiting list (docs/dialer.md, "Queued
 * callback"): the customer is not called back. Callers on the line leave by hanging up, not here.
 */
export function queuedCallbackRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.delete('/queues/:id/waiting/:callId', requireRole('supervisor'), async (c) => {
    const { id, callId } = parseParams(c, callParams);
    const queue = await deps.db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst();
    if (!queue) throw ApiError.notFound('No such queue');
    const result = await deps.queuedCallbacks.remove(id, callId);
    if (result === 'not_waiting') throw ApiError.notFound('That call is no longer waiting in this queue');
    if (result === 'not_a_callback') {
      throw ApiError.conflict('Only a callback placeholder can be removed: a caller on the line is waiting');
    }
    if (result === 'being_dialled') {
      throw ApiError.conflict('The customer is being called back now: remove it once that dial has ended');
    }
    await audit(deps.db, c, {
      action: 'queued_callback.remove',
      entity: 'queued_callback',
      entityId: callId,
      before: { queueId: id, status: 'waiting' },
      after: { status: 'dropped', outcome: 'removed' },
    });
    return c.body(null, 204);
  });
  return app;
}
