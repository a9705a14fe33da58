import { idParamSchema, pauseReasonInputSchema, pauseReasonUpdateSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { actorId } from '../admin/admin-helpers';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { PauseReasonStore } from './pause-reason-store';

/** The pause reasons agents choose from (admin); a reason is retired by making it inactive. */
export function pauseReasonAdminRoutes(deps: AppDeps) {
  const store = new PauseReasonStore(deps.db);
  const app = new Hono<AppEnv>();
  app.use('/admin/pause-reasons', requireRole('admin'));
  app.use('/admin/pause-reasons/*', requireRole('admin'));

  app.get('/admin/pause-reasons', async (c) => c.json({ pauseReasons: await store.list() }));

  app.post('/admin/pause-reasons', async (c) => {
    const input = await parseBody(c, pauseReasonInputSchema);
    const id = await store.create(input, actorId(c));
    return c.json({ id }, 201);
  });

  app.patch('/admin/pause-reasons/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, pauseReasonUpdateSchema);
    await store.update(await store.get(id), input, actorId(c));
    return c.json({ id });
  });

  return app;
}
