import type { SoftphoneConfig, SoftphoneIceServers } from '@switchboard/shared';
import { Hono } from 'hono';
import { hashToken } from '../auth/sessions';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { requestHost, requestIsHttps } from '../http/client-address';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { issueIceServers } from '../switch/turn-credentials';
import { WebSipCredentials } from './web-sip-credentials';

/** Who an agent's TURN credentials name (coturn logs it with each relay): the user id, no free text. */
function turnLabel(user: { id: number }): string {
  return `user-${user.id}`;
}

/** `GET /api/softphone/config`: how this agent's softphone registers (web) or which desk phone is theirs (sip). */
export function softphoneRoutes(deps: AppDeps) {
  const credentials = new WebSipCredentials(deps.db, deps.config.session.idleMs);
  const app = new Hono<AppEnv>();
  app.get('/softphone/config', requireRole('agent'), async (c) => {
    const user = c.get('user')!;
    if (!user.extension)
      throw ApiError.notFound('You have no extension. Ask your administrator to assign one.');
    const contacts = deps.registrar.lookup(user.extension.number).length;
    const body: SoftphoneConfig = {
      extension: { number: user.extension.number, type: user.extension.type },
      web: null,
      registration: { registered: contacts > 0, contacts },
    };
    if (user.extension.type === 'web') {
      const turn = issueIceServers(deps.config, turnLabel(user), Date.now());
      const sessionId = hashToken(c.get('sessionToken')!);
      const credential = await credentials.issue(sessionId, user.extension.number);
      const upgradeToken = await credentials.upgradeToken(sessionId);
      // The page's own origin as the browser sees it: behind a TLS proxy (TRUST_PROXY) an https page
      // must open wss:// on the public host, or the browser blocks the connection.
      const wsScheme = requestIsHttps(c) ? 'wss' : 'ws';
      const host = requestHost(c) ?? new URL(c.req.url).host;
      body.web = {
        // The token lets the upgrade through for clients that send no cookie with it.
        webSocketUrl: `${wsScheme}://${host}/sip?token=${upgradeToken}`,
        sipUri: `sip:${user.extension.number}@${deps.config.sip.publicAddress}`,
        authorizationUser: credential.authorizationUser,
        password: credential.password,
        displayName: user.displayName,
        expiresAt: credential.expiresAt,
        iceServers: turn.iceServers,
        iceServersExpireAt: turn.expiresAt,
      };
    }
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });
  // Renewed TURN credentials for the calls to come, without rebuilding the softphone mid-call.
  app.get('/softphone/ice-servers', requireRole('agent'), (c) => {
    const body: SoftphoneIceServers = issueIceServers(deps.config, turnLabel(c.get('user')!), Date.now());
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });
  return app;
}
