import { createMiddleware } from 'hono/factory';
import type { SessionStore } from '../../../auth/sessions';
import type { Db } from '../../../db/database';
import { loadCurrentUser } from '../../../users/current-user';
import type { AppEnv } from '../../app-env';
import { readSessionCookie } from '../../session-cookie';

/** Resolves the agent-desk and portal sessions (if any) into `c.var.user` / `c.var.subscriberId`. */
export function sessionLoader(db: Db, sessions: SessionStore) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set('user', null);
    c.set('sessionToken', null);
    c.set('subscriberId', null);
    c.set('portalToken', null);
    const token = readSessionCookie(c, 'user');
    if (token) {
      const session = await sessions.resolve(token, 'user');
      const user = session?.userId ? await loadCurrentUser(db, session.userId) : null;
      if (user) {
        c.set('user', user);
        c.set('sessionToken', token);
      }
    }
    const portalToken = readSessionCookie(c, 'subscriber');
    if (portalToken) {
      const session = await sessions.resolve(portalToken, 'subscriber');
      if (session?.subscriberId) {
        c.set('subscriberId', session.subscriberId);
        c.set('portalToken', portalToken);
      }
    }
    await next();
  });
}
