import { errorCodes } from '@switchboard/shared';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../api-error';
import { requestHost } from '../../client-address';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests that a browser sent from another origin (CSRF defence in depth
 * beside SameSite=Strict). Non-browser clients send neither header and are let through.
 */
export const sameOriginOnly = createMiddleware(async (c, next) => {
  if (!SAFE.has(c.req.method)) {
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    // Behind a proxy that rewrites Host, the browser's host is in X-Forwarded-Host.
    const host = requestHost(c);
    const crossSite = site !== undefined && site !== 'same-origin' && site !== 'none';
    let crossOrigin = false;
    if (origin !== undefined) {
      try {
        crossOrigin = origin === 'null' || new URL(origin).host !== host;
      } catch {
        crossOrigin = true;
      }
    }
    if (crossSite || crossOrigin) {
      throw new ApiError(403, errorCodes.crossOrigin, 'Requests from another site are refused');
    }
  }
  await next();
});
