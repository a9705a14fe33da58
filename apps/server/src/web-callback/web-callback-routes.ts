import {
  type CallbackNumberResponse,
  pageQuerySchema,
  phoneNumberPartsSchema,
  startWebCallbackSchema,
  type WebCallbacksResponse,
  webCallbackSettingsSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../admin/admin-helpers';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { clientAddress } from '../http/client-address';
import type { AppDeps } from '../http/deps';
import { requireRole, requireSubscriber } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';

export const idParamSchema = z.object({
  id: z.coerce
    .number({ error: 'Must be a number' })
    .int()
    .min(1)
    .max(2 ** 31 - 1),
});

/** Web callback: the portal's call-back number and calls, and the admin's service settings. */
export function webCallbackRoutes(deps: AppDeps) {
  const service = deps.webCallbacks;
  const app = new Hono<AppEnv>();
  for (const path of ['/portal/callback-number', '/portal/web-callbacks', '/portal/web-callbacks/*']) {
    app.use(path, requireSubscriber);
  }
  const me = (c: { get(key: 'subscriberId'): number | null }) => c.get('subscriberId')!;

  app.get('/portal/callback-number', async (c) => {
    const body: CallbackNumberResponse = { callbackNumber: await service.callbackNumber(me(c)) };
    return c.json(body);
  });

  app.put('/portal/callback-number', async (c) => {
    const parts = await parseBody(c, phoneNumberPartsSchema);
    const body: CallbackNumberResponse = { callbackNumber: await service.setCallbackNumber(me(c), parts) };
    return c.json(body);
  });

  app.post('/portal/web-callbacks', async (c) => {
    const input = await parseBody(c, startWebCallbackSchema);
    const webCallback = await service.start(me(c), input, clientAddress(c));
    return c.json(webCallback, 201);
  });

  app.get('/portal/web-callbacks', async (c) => {
    const { page, pageSize } = parseQuery(c, pageQuerySchema);
    const { webCallbacks, total } = await service.list(me(c), page, pageSize);
    const body: WebCallbacksResponse = { webCallbacks, total, page, pageSize };
    return c.json(body);
  });

  app.get('/portal/web-callbacks/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const found = await service.get(me(c), id);
    if (!found) throw ApiError.notFound('No such web callback');
    return c.json(found);
  });

  app.delete('/portal/web-callbacks/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    if (await service.hangUp(me(c), id)) return c.body(null, 204);
    const found = await service.get(me(c), id);
    if (!found) throw ApiError.notFound('No such web callback');
    throw ApiError.conflict('This call has already ended');
  });

  app.get('/admin/web-callback', requireRole('admin'), async (c) => c.json(await service.settings.get()));

  app.put('/admin/web-callback', requireRole('admin'), async (c) => {
    const next = await parseBody(c, webCallbackSettingsSchema);
    if (next.trunkId !== null) {
      const trunk = await deps.db
        .selectFrom('trunks')
        .select('id')
        .where('id', '=', next.trunkId)
        .executeTakeFirst();
      if (!trunk)
        throw ApiError.badRequest(`There is no trunk ${next.trunkId}`, {
          fields: [{ field: 'trunkId', message: 'No such trunk' }],
        });
    }
    const before = await service.settings.get();
    await service.settings.set(next);
    await audit(deps.db, c, {
      action: 'settings.update',
      entity: 'settings',
      entityId: 'webCallback',
      before,
      after: next,
    });
    return c.json(next);
  });

  return app;
}
