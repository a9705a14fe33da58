import { callIdParamSchema, monitoringSettingsSchema, monitorRequestSchema } from '@switchboard/shared';
import { type Context, Hono } from 'hono';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { CallControlError } from '../switch/calls/call-control-error';
import { MonitoringService, type MonitoringViewer } from './monitoring-service';

/**
 * Call monitoring (contract in packages/shared/src/api/monitoring.ts): `POST` rings the supervisor's
 * own extension and joins the call on answer, `PATCH` changes the mode, `DELETE` leaves. Agents and
 * supervisors of other queues get 403.
 */
export function monitoringRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  let service: MonitoringService | null = null;
  const monitoring = () => {
    service ??= new MonitoringService(deps.db, deps.callMonitor);
    return service;
  };
  const viewer = (c: Context<AppEnv>): MonitoringViewer => {
    const u = c.get('user')!;
    return { id: u.id, role: u.role };
  };
  const step = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof CallControlError) throw new ApiError(err.status, err.code, err.message);
      throw err;
    }
  };

  // Agents reach the handlers so the refusal is the monitoring rule's 403, not a generic one.
  app.post('/calls/:id/monitor', requireRole('agent'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    const body = await parseBody(c, monitorRequestSchema);
    return c.json(await step(() => monitoring().start(id, viewer(c), body.mode)), 201);
  });

  app.patch('/calls/:id/monitor', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    const body = await parseBody(c, monitorRequestSchema);
    return c.json(await step(() => monitoring().setMode(id, viewer(c), body.mode)));
  });

  app.delete('/calls/:id/monitor', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, callIdParamSchema);
    await step(() => monitoring().stop(id, viewer(c)));
    return c.json({ ok: true });
  });

  app.get('/monitoring/calls', requireRole('supervisor'), async (c) =>
    c.json({ calls: await monitoring().monitorable(viewer(c)) }),
  );

  app.get('/monitoring/settings', requireRole('admin'), async (c) => c.json(await monitoring().settings()));

  app.put('/monitoring/settings', requireRole('admin'), async (c) => {
    const body = await parseBody(c, monitoringSettingsSchema);
    await monitoring().setSettings(viewer(c), body);
    return c.json(body);
  });

  return app;
}
