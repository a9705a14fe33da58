import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { Logger } from '../../../observability/logger';
import { withRequestId } from '../../../observability/request-context';
import type { AppEnv } from '../../app-env';
import { clientAddress } from '../../client-address';

/** A proxy's or client's own id is kept when it is a plain token; anything else gets a new one. */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Probes scraped every few seconds: logged at debug so they do not drown the access log. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One access log line per request (method, path, route pattern, status, time, user, the client's
 * address behind the trusted proxies), with a request id that is answered in `X-Request-Id` and
 * stamped on every log line the request causes (docs/operations.md, "Logs").
 */
export function accessLog(logger: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && ACCEPTED_ID.test(given) ? given : randomUUID();
    const started = performance.now();
    try {
      await withRequestId(requestId, next);
    } finally {
      c.header('X-Request-Id', requestId);
      const line = {
        requestId,
        method: c.req.method,
        path: c.req.path,
        route: c.req.routePath || null,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        userId: c.get('user')?.id ?? null,
        address: clientAddress(c),
      };
      if (PROBES.has(c.req.path)) logger.debug(line, 'http request');
      else logger.info(line, 'http request');
    }
  });
}
