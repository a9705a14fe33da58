import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';

/** `GET /api/wallboard` (supervisors, administrators); the `wallboard` live event carries the same. */
export function wallboardRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/wallboard', requireRole('supervisor'), async (c) => c.json(await deps.wallboard.current()));
  return app;
}
