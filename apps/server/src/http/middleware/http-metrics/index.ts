import { createMiddleware } from 'hono/factory';
import type { Metrics } from '../../../observability/metrics';

export function httpMetrics(metrics: Metrics) {
  return createMiddleware(async (c, next) => {
    const stop = metrics.httpDuration.startTimer();
    try {
      await next();
    } finally {
      // The matched pattern, not the raw path, keeps label cardinality bounded.
      const route = c.req.routePath || 'unmatched';
      stop({ method: c.req.method, route });
      metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    }
  });
}
