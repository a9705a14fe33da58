import { idParamSchema, type Trunk, trunkInputSchema, trunkUpdateSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { actorId } from '../../admin/admin-helpers';
import { loadTrunkDialerLimits } from '../../dialer/start-dialer';
import { ApiError } from '../../http/api-error';
import type { AppEnv } from '../../http/app-env';
import type { AppDeps } from '../../http/deps';
import { requireRole } from '../../http/middleware/require-role';
import { parseBody, parseParams } from '../../http/validate';
import { TrunkNotFoundError, TrunkStore } from './trunk-store';

/** A trunk the store does not have is the API's 404. */
async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof TrunkNotFoundError) throw ApiError.notFound(err.message);
    throw err;
  }
}

/** Carrier trunks (admin): the password is write-only. */
export function trunkAdminRoutes(deps: AppDeps) {
  const store = new TrunkStore(deps.db);
  const app = new Hono<AppEnv>();
  app.use('/admin/trunks', requireRole('admin'));
  app.use('/admin/trunks/*', requireRole('admin'));

  // The switch's view of each trunk (registration, keep-alive), and a reload after every change:
  // the switch's trunks and the dialer's caps per trunk.
  const withLive = (t: Trunk): Trunk => ({ ...t, live: deps.trunks.status(t.id) });
  const reloadTrunks = async () => {
    await deps.trunks.reload();
    deps.dialer.setTrunkLimits(await loadTrunkDialerLimits(deps.db));
  };

  app.get('/admin/trunks', async (c) => c.json({ trunks: (await store.list()).map(withLive) }));

  app.post('/admin/trunks', async (c) => {
    const input = await parseBody(c, trunkInputSchema);
    const trunk = await store.create(input, actorId(c));
    await reloadTrunks();
    return c.json(withLive(trunk), 201);
  });

  app.patch('/admin/trunks/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, trunkUpdateSchema);
    const trunk = await orNotFound(store.update(id, input, actorId(c)));
    await reloadTrunks();
    return c.json(withLive(trunk));
  });

  app.delete('/admin/trunks/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    await orNotFound(store.remove(id, actorId(c)));
    await reloadTrunks();
    return c.body(null, 204);
  });

  return app;
}
