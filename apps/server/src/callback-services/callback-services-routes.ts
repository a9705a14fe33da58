import { callbackServiceInputSchema, callbackServiceUpdateSchema, idParamSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { CallbackServiceError } from './callback-service-store';

function toApiError(err: unknown): never {
  if (err instanceof CallbackServiceError) {
    const details = err.field ? { fields: [{ field: err.field, message: err.message }] } : undefined;
    const message = err.field ? `${err.field}: ${err.message}` : err.message;
    if (err.status === 404) throw ApiError.notFound(err.message);
    if (err.status === 409) throw ApiError.conflict(message, details);
    throw ApiError.badRequest(message, details);
  }
  throw err;
}

export const requestsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `/api/admin/callback-services`: the services (admin) and their request log. */
export function callbackServicesRoutes(deps: AppDeps) {
  const store = deps.callbackServices.store;
  const app = new Hono<AppEnv>();
  app.use('/admin/callback-services', requireRole('admin'));
  app.use('/admin/callback-services/*', requireRole('admin'));
  const actor = (c: { get(k: 'user'): { id: number } | undefined }) => ({
    kind: 'user' as const,
    id: c.get('user')!.id,
  });

  app.get('/admin/callback-services', async (c) => c.json({ callbackServices: await store.list() }));

  /** The circuit breaker over all services: the last hour's figures against the caps. */
  app.get('/admin/callback-services/breaker', async (c) =>
    c.json(await deps.callbackServices.breaker.status()),
  );

  app.get('/admin/callback-services/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const s = await store.get(id);
    if (!s) throw ApiError.notFound('No such callback service');
    return c.json(s);
  });

  app.post('/admin/callback-services', async (c) => {
    const input = await parseBody(c, callbackServiceInputSchema);
    const created = await store.create(input, actor(c)).catch(toApiError);
    return c.json(created, 201);
  });

  app.put('/admin/callback-services/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, callbackServiceUpdateSchema);
    return c.json(await store.update(id, input, actor(c)).catch(toApiError));
  });

  app.delete('/admin/callback-services/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    await store.remove(id, actor(c)).catch(toApiError);
    return c.body(null, 204);
  });

  /** The latest requests (trigger calls and SMS), refused ones with their reason. */
  app.get('/admin/callback-services/:id/requests', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const { limit } = parseQuery(c, requestsQuery);
    return c.json({ requests: await store.requests({ serviceId: id, limit }) });
  });

  return app;
}
