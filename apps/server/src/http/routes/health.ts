import type { HealthResponse } from '@switchboard/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../deps';

export function healthRoutes(deps: AppDeps) {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    const failing: string[] = [];
    await Promise.all(
      deps.healthChecks.map(async (h) => {
        try {
          await Promise.race([
            h.check(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
          ]);
        } catch (err) {
          failing.push(h.name);
          deps.logger.warn({ err, part: h.name }, 'health check failed');
        }
      }),
    );
    const body: HealthResponse = failing.length
      ? { status: 'failing', failing: failing.sort() }
      : { status: 'ok' };
    return c.json(body, failing.length ? 503 : 200);
  });
  app.get('/metrics', async (c) => {
    const text = await deps.metrics.registry.metrics();
    return c.text(text, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
  return app;
}
