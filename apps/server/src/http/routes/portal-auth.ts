import { errorCodes, portalLoginRequestSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { decoyHash, verifyPassword } from '../../auth/password';
import { findSubscriberForLogin, loadSubscriber } from '../../subscribers/portal-subscriber';
import { ApiError } from '../api-error';
import type { AppEnv } from '../app-env';
import { clientAddress } from '../client-address';
import type { AppDeps } from '../deps';
import { LoginGuard } from '../login-guard';
import { requireSubscriber } from '../middleware/require-role';
import { clearSessionCookie, writeSessionCookie } from '../session-cookie';
import { parseBody } from '../validate';

/** Subscribers (seeds 000/001) sign in with their soft-phone number, in a session of their own kind. */
export function portalAuthRoutes(deps: AppDeps) {
  const { db, sessions, config } = deps;
  const app = new Hono<AppEnv>();

  app.post('/login', async (c) => {
    const body = await parseBody(c, portalLoginRequestSchema);
    const guard = new LoginGuard(deps, c, `subscriber:${body.phoneNumber.replace(/\D+/g, '')}`);
    await guard.assertAllowed();
    const found = await findSubscriberForLogin(db, body.phoneNumber);
    const ok = await verifyPassword(body.password, found?.password_hash ?? (await decoyHash()));
    if (!ok || !found) {
      await guard.failed();
      throw new ApiError(401, errorCodes.unauthenticated, 'Wrong soft-phone number or password');
    }
    await guard.succeeded();
    const token = await sessions.create(
      'subscriber',
      { subscriberId: found.id },
      { ip: clientAddress(c), userAgent: c.req.header('user-agent') ?? null },
    );
    writeSessionCookie(c, 'subscriber', token, Math.floor(config.session.maxMs / 1000));
    return c.json({ subscriber: (await loadSubscriber(db, found.id))! });
  });

  app.post('/logout', async (c) => {
    const token = c.get('portalToken');
    if (token) {
      await sessions.destroy(token);
      deps.events.endStreams({ session: token });
    }
    clearSessionCookie(c, 'subscriber');
    return c.body(null, 204);
  });

  app.get('/me', requireSubscriber, async (c) => {
    const subscriber = await loadSubscriber(db, c.get('subscriberId')!);
    if (!subscriber) throw ApiError.unauthenticated('Sign in to the portal to continue');
    return c.json({ subscriber });
  });

  return app;
}
