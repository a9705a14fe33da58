import { isIP } from 'node:net';
import { errorCodes } from '@switchboard/shared';
import { createMiddleware } from 'hono/factory';
import type { Config } from '../../../config';
import { ApiError } from '../../api-error';
import { requestHost } from '../../client-address';

const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'];

/** `host[:port]` (or `[v6]:port`) → lower-case host name without brackets. */
function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/**
 * Whether a Host (or an Origin's host) is one this server answers to. DNS rebinding points a name
 * the attacker controls at this server, so only names it was configured with pass: ALLOWED_HOSTS
 * (entries match the name, or `name:port` exactly), else HOST, SIP_PUBLIC_ADDRESS and the localhost
 * names. A bare IP address cannot be rebound and always passes.
 */
export function hostAllowed(
  config: Pick<Config, 'http' | 'sip' | 'security'>,
  hostHeader: string | undefined,
) {
  if (!hostHeader) return false;
  const name = hostName(hostHeader);
  if (isIP(name) !== 0) return true;
  const allowed = config.security.allowedHosts ?? [
    config.http.host,
    config.sip.publicAddress,
    ...LOCAL_NAMES,
  ];
  const full = hostHeader.trim().toLowerCase();
  return allowed.some((a) => a === name || a === full);
}

/**
 * Refuses API requests whose Host (a trusted proxy's X-Forwarded-Host) or Origin is not an allowed
 * host (421 Misdirected Request / 403).
 */
export function allowedHostsOnly(config: Pick<Config, 'http' | 'sip' | 'security'>) {
  return createMiddleware(async (c, next) => {
    if (!hostAllowed(config, requestHost(c))) {
      throw new ApiError(421, errorCodes.forbidden, 'This server does not answer to that host name');
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== 'null') {
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      if (!hostAllowed(config, originHost)) {
        throw new ApiError(403, errorCodes.crossOrigin, 'Requests from another site are refused');
      }
    }
    await next();
  });
}
