import { errorCodes } from '@switchboard/shared';
import { createMiddleware } from 'hono/factory';
import { openToEveryToken, scopeForRoute } from '../../../api-tokens/api-token-scopes';
import type { ApiTokenStore } from '../../../api-tokens/api-token-store';
import { ApiError } from '../../api-error';
import type { AppEnv } from '../../app-env';

/** Requests per token in the current minute; a fixed window is enough to keep one integration in check. */
class TokenRateWindow {
  private readonly windows = new Map<number, { start: number; count: number }>();

  /** Seconds until the token may ask again, or 0 when this request is within its limit. */
  take(tokenId: number, perMinute: number, now = Date.now()): number {
    let w = this.windows.get(tokenId);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, count: 0 };
      this.windows.set(tokenId, w);
    }
    w.count++;
    return w.count > perMinute ? Math.ceil((w.start + 60_000 - now) / 1000) : 0;
  }
}

/**
 * `Authorization: Bearer <token>`: the request acts as the token's user, on the routes its scopes
 * open, within its requests per minute (docs/integrations.md). Without the header nothing changes.
 */
export function apiTokenAuth(tokens: ApiTokenStore) {
  const rate = new TokenRateWindow();
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw ApiError.unauthenticated('The Authorization header must be "Bearer <API token>"');
    const token = await tokens.resolve(match[1]!);
    if (!openToEveryToken(c.req.method, c.req.path)) {
      const needed = scopeForRoute(c.req.method, c.req.path);
      if (!needed) throw ApiError.forbidden('API tokens may not use this route');
      if (!token.scopes.includes(needed))
        throw ApiError.forbidden(`This API token lacks the "${needed}" scope`);
    }
    const wait = rate.take(token.id, token.requestsPerMinute);
    if (wait > 0)
      throw new ApiError(429, errorCodes.throttled, 'Too many requests with this API token', undefined, {
        'retry-after': String(wait),
      });
    c.set('user', token.user);
    c.set('sessionToken', null);
    await next();
  });
}
