import { isIP } from 'node:net';
import type { SipBansResponse } from '@switchboard/shared';
import { Hono } from 'hono';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { audit } from './admin-helpers';

/** Admin: the SIP sources banned by the per-source limits, and lifting a ban. */
export function sipBansRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/admin/sip-bans', requireRole('admin'), (c) => {
    const body: SipBansResponse = { bans: deps.sipGuard.bans(), limits: deps.sipGuard.limits };
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });
  app.delete('/admin/sip-bans/:address', requireRole('admin'), async (c) => {
    const address = c.req.param('address');
    if (isIP(address) === 0) throw ApiError.badRequest('address must be an IP address');
    if (!deps.sipGuard.unban(address)) throw ApiError.notFound('That address is not banned');
    deps.logger.info({ source: address }, 'SIP source unbanned');
    await audit(deps.db, c, { action: 'sip_ban.lift', entity: 'sip_ban', entityId: address });
    return c.body(null, 204);
  });
  return app;
}
