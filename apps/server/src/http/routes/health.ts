import { timingSafeEqual } from 'node:crypto';
import type { HealthResponse, ReadinessResponse } from '@switchboard/shared';
import { type Context, Hono } from 'hono';
import { clientAddress } from '../client-address';
import type { AppDeps } from '../deps';

/** An IPv4 client seen by a dual-stack socket (`::ffff:10.0.0.5`) is matched as plain IPv4. */
const plainAddress = (a: string) => (a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a);

/**
 * The metrics reveal traffic, registrations and trunk states: only the configured scraper
 * addresses (METRICS_ALLOWED_ADDRESSES) or a bearer of METRICS_TOKEN may read them.
 */
function mayReadMetrics(deps: AppDeps, c: Context): boolean {
  const { metricsToken, metricsAllowedAddresses } = deps.config.security;
  if (metricsToken) {
    const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '');
    const expected = Buffer.from(metricsToken);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return metricsAllowedAddresses.includes(plainAddress(clientAddress(c)));
}

/** The parts whose check failed (or took over 2 s), sorted. */
async function failingParts(deps: AppDeps): Promise<string[]> {
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
  return failing.sort();
}

export function healthRoutes(deps: AppDeps) {
  const app = new Hono();
  // Alive and working (a restart fixes a failing one).
  app.get('/healthz', async (c) => {
    const failing = await failingParts(deps);
    const body: HealthResponse = failing.length ? { status: 'failing', failing } : { status: 'ok' };
    const backlog = deps.calls.context.records.backlog;
    if (backlog > 0) body.callRecordsBacklog = backlog;
    return c.json(body, failing.length ? 503 : 200);
  });
  // Takes new calls: a load balancer or orchestrator stops sending work on 503 (draining, failing).
  app.get('/readyz', async (c) => {
    if (deps.drain.draining) {
      const state = deps.drain.state();
      const body: ReadinessResponse = {
        status: 'draining',
        liveCalls: state.liveCalls,
        ...(state.since === null ? {} : { since: state.since }),
      };
      return c.json(body, 503);
    }
    const failing = await failingParts(deps);
    const body: ReadinessResponse = failing.length ? { status: 'failing', failing } : { status: 'ready' };
    return c.json(body, failing.length ? 503 : 200);
  });
  app.get('/metrics', async (c) => {
    if (!mayReadMetrics(deps, c)) {
      return c.text('Metrics are served to the configured addresses or with the metrics token.\n', 403);
    }
    const text = await deps.metrics.text();
    return c.text(text, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
  return app;
}
