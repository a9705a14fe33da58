import { idParamSchema, rateTableInputSchema, rateTableUpdateSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { audit } from '../admin/admin-helpers';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { registerPlanRoutes, registerQuoteRoute } from './plans-routes';
import { RateTableStore } from './rate-table-store';
import { registerRateFileRoutes, registerRateRoutes } from './rates-routes';

/**
 * Rate tables, their rates (CSV import and export), plans and quotes (admin). Every change of a
 * table's rates moves its updated_at and drops the rating engine's index of it; every change is audited.
 */
export function rateTablesRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  for (const path of [
    '/admin/rate-tables',
    '/admin/rate-tables/*',
    '/admin/plans',
    '/admin/plans/*',
    '/admin/rates/*',
  ]) {
    app.use(path, requireRole('admin'));
  }
  const tables = new RateTableStore(deps.db, deps.rating);
  registerTableRoutes(app, deps, tables);
  registerRateRoutes(app, deps, tables);
  registerRateFileRoutes(app, deps, tables);
  registerPlanRoutes(app, deps, tables);
  registerQuoteRoute(app, deps);
  return app;
}

function registerTableRoutes(app: Hono<AppEnv>, { db }: AppDeps, tables: RateTableStore) {
  app.get('/admin/rate-tables', async (c) => c.json({ rateTables: await tables.list() }));

  app.post('/admin/rate-tables', async (c) => {
    const input = await parseBody(c, rateTableInputSchema);
    const id = await tables.create(input);
    await audit(db, c, { action: 'rate_table.create', entity: 'rate_table', entityId: id, after: input });
    return c.json({ rateTable: await tables.get(id) }, 201);
  });

  app.get('/admin/rate-tables/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    return c.json({ rateTable: await tables.get(id) });
  });

  app.put('/admin/rate-tables/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, rateTableUpdateSchema);
    const before = await tables.get(id);
    await tables.update(id, input);
    await audit(db, c, {
      action: 'rate_table.update',
      entity: 'rate_table',
      entityId: id,
      before: { name: before.name, description: before.description },
      after: input,
    });
    return c.json({ rateTable: await tables.get(id) });
  });

  app.delete('/admin/rate-tables/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const before = await tables.get(id);
    await tables.remove(before);
    await audit(db, c, {
      action: 'rate_table.delete',
      entity: 'rate_table',
      entityId: id,
      before: { name: before.name, currency: before.currency, rateCount: before.rateCount },
    });
    return c.body(null, 204);
  });
}
