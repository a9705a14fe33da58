import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { requestIsHttps } from './client-address';

export type CookieKind = 'user' | 'subscriber';
const BASE: Record<CookieKind, string> = { user: 'sb_session', subscriber: 'sb_portal' };

/**
 * `__Host-` binds the cookie to this exact origin, which browsers only allow with Secure. Https is the
 * browser's view: a TLS proxy in front (TRUST_PROXY) says so in X-Forwarded-Proto.
 */
function cookieName(c: Context, kind: CookieKind): string {
  return requestIsHttps(c) ? `__Host-${BASE[kind]}` : BASE[kind];
}

export function readSessionCookie(c: Context, kind: CookieKind): string | null {
  return getCookie(c, cookieName(c, kind)) ?? null;
}

export function writeSessionCookie(c: Context, kind: CookieKind, token: string, maxAgeSeconds: number): void {
  setCookie(c, cookieName(c, kind), token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: requestIsHttps(c),
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(c: Context, kind: CookieKind): void {
  deleteCookie(c, cookieName(c, kind), { path: '/', secure: requestIsHttps(c) });
}
