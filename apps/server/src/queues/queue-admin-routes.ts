import {
  idParamSchema,
  queueInputSchema,
  queueMemberUpdateSchema,
  queueUpdateSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { actorId } from '../admin/admin-helpers';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { musicPrompts, promptCatalogue } from './hold-music';
import { assertHoldMusic, assertOverflow, queueInUse } from './queue-admin-rules';
import { QueueAdminStore } from './queue-admin-store';

export const memberParams = z.object({
  id: idParamSchema.shape.id,
  userId: idParamSchema.shape.id,
});

type QueueAdminApp = Hono<AppEnv>;

/** Queues and their members (admin): the settings the ACD runs each queue by. */
export function queueAdminRoutes(deps: AppDeps) {
  const store = new QueueAdminStore(deps.db);
  const app: QueueAdminApp = new Hono<AppEnv>();
  app.use('/admin/queues', requireRole('admin'));
  app.use('/admin/queues/*', requireRole('admin'));

  app.get('/admin/queues', async (c) =>
    c.json({
      queues: await store.list(),
      /** What holdMusic may name (null plays the default, `hold-music`). */
      holdMusic: musicPrompts(promptCatalogue()),
    }),
  );

  // Queue settings and members feed the ACD and agent state: re-read them after a successful change.
  const reloadAcd = createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.res.status < 300)
      await Promise.all([deps.agents.reload(), deps.queues.reload()]);
  });
  app.use('/admin/queues', reloadAcd);
  app.use('/admin/queues/*', reloadAcd);

  queueSettingsRoutes(app, deps, store);
  queueMemberRoutes(app, store);
  return app;
}

function queueSettingsRoutes(app: QueueAdminApp, deps: AppDeps, store: QueueAdminStore) {
  const { db } = deps;
  app.post('/admin/queues', async (c) => {
    const input = await parseBody(c, queueInputSchema);
    await assertOverflow(db, input.overflow, null);
    assertHoldMusic(input.holdMusic);
    const id = await store.create(input, actorId(c));
    return c.json({ id }, 201);
  });

  app.patch('/admin/queues/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, queueUpdateSchema);
    const before = await store.get(id);
    if (input.overflow !== undefined) await assertOverflow(db, input.overflow, id);
    if (input.holdMusic !== undefined) assertHoldMusic(input.holdMusic);
    await store.update(before, input, actorId(c));
    return c.json({ id });
  });

  /**
   * Delete a queue, unless something still sends calls to it: 409 with every reason, so the admin
   * knows what to change first (docs/admin.md, "Deleting a queue").
   */
  app.delete('/admin/queues/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const before = await store.get(id);
    const reasons = await queueInUse(db, id, deps.queues.waitingCount(id));
    if (reasons.length > 0) {
      throw ApiError.conflict(`${before.name} cannot be deleted: ${reasons.join('; ')}`, { reasons });
    }
    await store.remove(before, actorId(c));
    return c.body(null, 204);
  });
}

function queueMemberRoutes(app: QueueAdminApp, store: QueueAdminStore) {
  /** Add a member or change their penalty. */
  app.put('/admin/queues/:id/members/:userId', async (c) => {
    const { id, userId } = parseParams(c, memberParams);
    await store.assertMemberCanJoin(id, userId);
    const { penalty } = await parseBody(c, queueMemberUpdateSchema);
    await store.setMember(id, userId, penalty, actorId(c));
    return c.json({ queueId: id, userId, penalty });
  });

  app.delete('/admin/queues/:id/members/:userId', async (c) => {
    const { id, userId } = parseParams(c, memberParams);
    await store.removeMember(id, userId, actorId(c));
    return c.body(null, 204);
  });
}
