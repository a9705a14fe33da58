import {
  customerCreateSchema,
  customerListQuerySchema,
  customerLookupQuerySchema,
  customerUpdateSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { idParams } from '../http/id-params';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { viewerOf } from '../http/viewer';
import { CustomerService } from './customer-service';

/** CRM → Customer Management. */
export function customersRoutes(deps: AppDeps) {
  const customers = new CustomerService(deps);
  const app = new Hono<AppEnv>();
  app.use('/customers', requireRole('agent'));
  app.use('/customers/*', requireRole('agent'));

  app.get('/customers', async (c) => {
    const query = parseQuery(c, customerListQuerySchema);
    const viewer = await viewerOf(c, deps);
    const { customers: page, total } = await customers.list(viewer, query);
    return c.json({ customers: page, total, page: query.page, limit: query.limit });
  });

  app.get('/customers/lookup', async (c) => {
    const query = parseQuery(c, customerLookupQuerySchema);
    const viewer = await viewerOf(c, deps);
    return c.json(await customers.lookup(viewer, query));
  });

  app.get('/customers/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    return c.json(await customers.detail(viewer, id));
  });

  app.post('/customers', async (c) => {
    const body = await parseBody(c, customerCreateSchema);
    const viewer = await viewerOf(c, deps);
    const id = await customers.create(viewer, body);
    return c.json({ customer: await customers.present(viewer, id) }, 201);
  });

  app.patch('/customers/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const body = await parseBody(c, customerUpdateSchema);
    const viewer = await viewerOf(c, deps);
    await customers.update(viewer, id, body);
    return c.json({ customer: await customers.present(viewer, id) });
  });

  app.delete('/customers/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    await customers.remove(viewer, id);
    return c.body(null, 204);
  });

  return app;
}
