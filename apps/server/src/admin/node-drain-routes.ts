import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { audit } from './admin-helpers';

/**
 * Admin: take this node out of service without dropping a call, and put it back
 * (docs/operations.md). The state is the node's own: each node of several is drained by itself.
 */
export function nodeDrainRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/admin/drain', requireRole('admin'), (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(deps.drain.state());
  });
  app.post('/admin/drain', requireRole('admin'), async (c) => {
    const was = deps.drain.draining;
    const state = deps.drain.start('administrator');
    if (!was) await audit(deps.db, c, { action: 'node.drain', entity: 'node', entityId: deps.config.nodeId });
    return c.json(state);
  });
  app.delete('/admin/drain', requireRole('admin'), async (c) => {
    const was = deps.drain.draining;
    const state = deps.drain.resume('administrator');
    if (was) await audit(deps.db, c, { action: 'node.resume', entity: 'node', entityId: deps.config.nodeId });
    return c.json(state);
  });
  return app;
}
