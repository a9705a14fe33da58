import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Config } from '../config';
import type { AppEnv } from './app-env';
import { type ForwardedClient, TrustedProxies, trustedProxiesOf } from './trusted-proxies';

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The request's client under these proxies. */
function resolveClient(c: Context, proxies: TrustedProxies): ForwardedClient {
  const directHttps = new URL(c.req.url).protocol === 'https:';
  return proxies.resolve(socketAddress(c), (name) => c.req.header(name), directHttps);
}

/**
 * Works out once per request who the client is behind the trusted proxies (TRUST_PROXY): everything
 * that keys on the client's address, the https cookies and the softphone's WebSocket URL reads it
 * through the functions below. Runs first, so the access log sees it too.
 */
export function forwardedClient(config: Pick<Config, 'security'>) {
  const proxies = trustedProxiesOf(config.security.trustedProxies);
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set('client', resolveClient(c, proxies));
    await next();
  });
}

const NO_PROXIES = new TrustedProxies([]);

/** Who sent the request; without the forwardedClient middleware (apps built for one test), the socket. */
function clientOf(c: Context): ForwardedClient {
  return (c.get('client') as ForwardedClient | undefined) ?? resolveClient(c, NO_PROXIES);
}

/** The client's address, for sign-in throttling, sessions, the audit and access logs. */
export function clientAddress(c: Context): string {
  return clientOf(c).address;
}

/** Whether the browser's page is https: directly, or by a trusted proxy's X-Forwarded-Proto. */
export function requestIsHttps(c: Context): boolean {
  return clientOf(c).https;
}

/** The host (`name[:port]`) the browser asked for: a trusted proxy's X-Forwarded-Host, else Host. */
export function requestHost(c: Context): string | undefined {
  return clientOf(c).host;
}
