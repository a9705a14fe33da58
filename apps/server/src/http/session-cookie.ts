import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export type CookieKind = 'user' | 'subscriber';
const BASE: Record<CookieKind, string> = { user: 'sb_session', subscriber: 'sb_portal' };

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

/** `__Host-` binds the cookie to this exact origin, which browsers only allow with Secure. */
function cookieName(c: Context, kind: CookieKind): string {
  return isHttps(c) ? `__Host-${BASE[kind]}` : BASE[kind];
}

export function readSessionCookie(c: Context, kind: CookieKind): string | null {
  return getCookie(c, cookieName(c, kind)) ?? null;
}

export function writeSessionCookie(c: Context, kind: CookieKind, token: string, maxAgeSeconds: number): void {
  setCookie(c, cookieName(c, kind), token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: isHttps(c),
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(c: Context, kind: CookieKind): void {
  deleteCookie(c, cookieName(c, kind), { path: '/', secure: isHttps(c) });
}
