import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { WallboardService } from './wallboard-service';

/** `GET /api/wallboard` (supervisors, administrators); the `wallboard` live event carries the same. */
export function wallboardRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const wallboard = new WallboardService(deps.db, deps);
  app.get('/wallboard', requireRole('supervisor'), async (c) => c.json(await wallboard.current()));
  return app;
}
