import { type ApiTokenCreated, apiTokenCreateSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { idParams } from '../http/id-params';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { ApiTokenStore } from './api-token-store';

/** Administration of API tokens: list, create (the secret is shown once), revoke. */
export function apiTokenRoutes(deps: AppDeps) {
  const store = new ApiTokenStore(deps.db);
  const app = new Hono<AppEnv>();
  app.use('/admin/api-tokens', requireRole('admin'));
  app.use('/admin/api-tokens/*', requireRole('admin'));

  app.get('/admin/api-tokens', async (c) => c.json({ tokens: await store.list() }));

  app.post('/admin/api-tokens', async (c) => {
    const input = await parseBody(c, apiTokenCreateSchema);
    const { id, secret } = await store.create(input, c.get('user')!.id);
    const token = (await store.list()).find((t) => t.id === id)!;
    const body: ApiTokenCreated = { token, secret };
    return c.json(body, 201);
  });

  app.delete('/admin/api-tokens/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    await store.revoke(id, c.get('user')!.id);
    return c.body(null, 204);
  });

  return app;
}
