import { errorCodes, loginRequestSchema, updateMyProfileSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { recordAudit } from '../../audit/audit-log';
import { decoyHash, verifyPassword } from '../../auth/password';
import { findUserForLogin, loadCurrentUser } from '../../users/current-user';
import { ApiError } from '../api-error';
import type { AppEnv } from '../app-env';
import { clientAddress } from '../client-address';
import type { AppDeps } from '../deps';
import { LoginGuard } from '../login-guard';
import { requireRole } from '../middleware/require-role';
import { clearSessionCookie, writeSessionCookie } from '../session-cookie';
import { parseBody } from '../validate';

export function authRoutes(deps: AppDeps) {
  const { db, sessions, config } = deps;
  const app = new Hono<AppEnv>();

  app.post('/login', async (c) => {
    const body = await parseBody(c, loginRequestSchema);
    const found = await findUserForLogin(db, body.username);
    // One count per user, whichever name they are asked by (agent name or agent ID).
    const guard = new LoginGuard(deps, c, found ? `user#${found.id}` : `user:${body.username}`);
    await guard.assertAllowed();
    // Unknown users are checked against a decoy hash so both failures take the same time.
    const ok = await verifyPassword(body.password, found?.password_hash ?? (await decoyHash()));
    const user = ok && found && !found.disabled ? await loadCurrentUser(db, found.id) : null;
    if (!user) {
      await guard.failed();
      deps.logger.info({ login: body.username, address: clientAddress(c) }, 'failed sign-in');
      throw new ApiError(401, errorCodes.unauthenticated, 'Wrong agent name, agent ID or password');
    }
    await guard.succeeded();
    const address = clientAddress(c);
    const token = await sessions.create(
      'user',
      { userId: user.id },
      { ip: address, userAgent: c.req.header('user-agent') ?? null },
    );
    writeSessionCookie(c, 'user', token, Math.floor(config.session.maxMs / 1000));
    await recordAudit(db, {
      actor: { kind: 'user', id: user.id },
      action: 'login',
      entity: 'session',
      entityId: null,
      // Where from: the client's address behind the trusted proxies.
      after: { address },
    });
    return c.json({ user });
  });

  app.post('/logout', async (c) => {
    const token = c.get('sessionToken');
    if (token) {
      await sessions.destroy(token);
      // The session's live streams and softphone registrations end with it, not at their next check.
      deps.events.endStreams({ session: token });
      deps.registrar
        .dropEndedSessions()
        .catch((err) => deps.logger.warn({ err }, 'dropping registrations failed'));
    }
    clearSessionCookie(c, 'user');
    // Signing out of the last session leaves the queues: no calls are offered to someone who left.
    const user = c.get('user');
    if (user) {
      const left = await db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      if (!left) deps.agents.logout(user.id);
    }
    return c.body(null, 204);
  });

  app.get('/me', requireRole('agent'), (c) => c.json({ user: c.get('user')! }));

  /** The user's own profile: their time zone (docs/agent-desk.md, "Time zones"). */
  app.patch('/me', requireRole('agent'), async (c) => {
    const body = await parseBody(c, updateMyProfileSchema);
    const me = c.get('user')!;
    await db
      .updateTable('users')
      .set({ time_zone: body.timeZone, updated_at: Date.now() })
      .where('id', '=', me.id)
      .execute();
    await recordAudit(db, {
      actor: { kind: 'user', id: me.id },
      action: 'user.profile_update',
      entity: 'user',
      entityId: me.id,
      before: { timeZone: me.timeZone },
      after: body,
    });
    return c.json({ user: await loadCurrentUser(db, me.id) });
  });

  return app;
}
