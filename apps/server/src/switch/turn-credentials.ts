import { createHmac } from 'node:crypto';
import type { IceServer } from '@switchboard/shared';

/**
 * A TURN credential of the "REST API for access to TURN services" (draft-uberti-behave-turn-rest,
 * §2.2), which coturn checks with `use-auth-secret`: the username is the expiry (Unix seconds) and a
 * label, the password the base64 HMAC-SHA1 of the username under the shared secret. coturn refuses
 * it once the expiry has passed, so a credential an agent's browser saw is of no use for long.
 */
export function turnRestCredential(
  secret: string,
  label: string,
  expiresAtMs: number,
): { username: string; credential: string } {
  const username = `${Math.floor(expiresAtMs / 1000)}:${label}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** ICE servers as handed out, and when their TURN credentials stop working (null: they do not). */
export interface IssuedIceServers {
  iceServers: IceServer[];
  expiresAt: number | null;
}

/**
 * The STUN/TURN servers for one party (an agent's browser, the media plane): with a TURN secret each
 * TURN entry gets a credential of its own valid for `ttlMs`; else the configured servers as they are.
 */
export function issueIceServers(
  config: { iceServers: IceServer[]; turnRest: { secret: string; ttlMs: number } | null },
  label: string,
  now: number,
): IssuedIceServers {
  if (!config.turnRest) return { iceServers: config.iceServers, expiresAt: null };
  const expiresAt = now + config.turnRest.ttlMs;
  const credential = turnRestCredential(config.turnRest.secret, label, expiresAt);
  return {
    iceServers: config.iceServers.map((server) =>
      server.urls.some((u) => /^turns?:/i.test(u)) ? { urls: server.urls, ...credential } : server,
    ),
    expiresAt,
  };
}
