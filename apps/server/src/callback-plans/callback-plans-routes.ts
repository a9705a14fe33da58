import {
  callbackPlanCreateSchema,
  callbackPlanListQuerySchema,
  callbackPlanUpdateSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { idParams } from '../http/id-params';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { viewerOf } from '../http/viewer';
import { listedUserFor } from '../http/viewer/listed-user';
import { CallbackPlanService } from './callback-plan-service';

/** Callback plans: an agent's own; a supervisor's view of everyone's. */
export function callbackPlansRoutes(deps: AppDeps) {
  const plans = new CallbackPlanService(deps);
  const app = new Hono<AppEnv>();
  app.use('/callback-plans', requireRole('agent'));
  app.use('/callback-plans/*', requireRole('agent'));

  app.get('/callback-plans', async (c) => {
    const query = parseQuery(c, callbackPlanListQuerySchema);
    const viewer = await viewerOf(c, deps);
    const owner = listedUserFor(viewer, query.owner, 'Agents see only their own callback plans');
    const { plans: page, total } = await plans.list(viewer, { ...query, owner });
    return c.json({ plans: page, total, page: query.page, limit: query.limit });
  });

  app.get('/callback-plans/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    return c.json({ plan: await plans.detail(viewer, id) });
  });

  app.post('/callback-plans', async (c) => {
    const body = await parseBody(c, callbackPlanCreateSchema);
    const viewer = await viewerOf(c, deps);
    const id = await plans.create(viewer, body);
    return c.json({ plan: await plans.present(viewer, id) }, 201);
  });

  app.patch('/callback-plans/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const body = await parseBody(c, callbackPlanUpdateSchema);
    const viewer = await viewerOf(c, deps);
    await plans.update(viewer, id, body);
    return c.json({ plan: await plans.present(viewer, id) });
  });

  return app;
}
