import { webhookInputSchema, webhookUpdateSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { idParams } from '../http/id-params';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { WebhookDeliveries } from './webhook-deliveries';

/** Administration of webhooks: receivers, the events they get, their delivery log, a test ping. */
export function webhookRoutes(deps: AppDeps) {
  const store = deps.webhooks.store;
  const app = new Hono<AppEnv>();
  app.use('/admin/webhooks', requireRole('admin'));
  app.use('/admin/webhooks/*', requireRole('admin'));

  app.get('/admin/webhooks', async (c) => c.json({ webhooks: await store.list() }));

  app.post('/admin/webhooks', async (c) => {
    const input = await parseBody(c, webhookInputSchema);
    const id = await store.create(input, c.get('user')!.id);
    return c.json({ webhook: await store.get(id) }, 201);
  });

  app.patch('/admin/webhooks/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const patch = await parseBody(c, webhookUpdateSchema);
    await store.update(id, patch, c.get('user')!.id);
    return c.json({ webhook: await store.get(id) });
  });

  app.delete('/admin/webhooks/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    await store.remove(id, c.get('user')!.id);
    return c.body(null, 204);
  });

  app.get('/admin/webhooks/:id/deliveries', async (c) => {
    const { id } = parseParams(c, idParams);
    return c.json({ deliveries: await store.deliveries(id) });
  });

  /** Sends a `ping` now to this webhook only, whatever events it takes. */
  app.post('/admin/webhooks/:id/ping', async (c) => {
    const { id } = parseParams(c, idParams);
    await store.get(id);
    await deps.webhooks.deliveries.ping(id, WebhookDeliveries.eventId('ping'));
    return c.json({ queued: true }, 202);
  });

  return app;
}
