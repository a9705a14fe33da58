import { idParamSchema, inboundRouteInputSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { actorId } from '../admin/admin-helpers';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { InboundRouteStore } from './inbound-route-store';

/** Inbound routes (admin): where calls to each of the carrier's numbers go. */
export function inboundRouteAdminRoutes(deps: AppDeps) {
  const store = new InboundRouteStore(deps.db);
  const app = new Hono<AppEnv>();
  app.use('/admin/inbound-routes', requireRole('admin'));
  app.use('/admin/inbound-routes/*', requireRole('admin'));

  app.get('/admin/inbound-routes', async (c) => c.json({ inboundRoutes: await store.list() }));

  app.post('/admin/inbound-routes', async (c) => {
    const input = await parseBody(c, inboundRouteInputSchema);
    await store.assertTarget(input.targetType, input.targetId);
    const id = await store.create(input, actorId(c));
    return c.json({ id }, 201);
  });

  app.put('/admin/inbound-routes/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, inboundRouteInputSchema);
    const before = await store.get(id);
    await store.assertTarget(input.targetType, input.targetId);
    await store.replace(before, input, actorId(c));
    return c.json({ id });
  });

  app.delete('/admin/inbound-routes/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    await store.remove(await store.get(id), actorId(c));
    return c.body(null, 204);
  });

  return app;
}
