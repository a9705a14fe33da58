import {
  callerIdInputSchema,
  changePasswordSchema,
  changePinSchema,
  type LedgerResponse,
  type PortalAccountResponse,
  type PortalCallsResponse,
  pageQuerySchema,
} from '@switchboard/shared';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { LoginGuard } from '../http/login-guard';
import { requireSubscriber } from '../http/middleware/require-role';
import { fieldError, parseBody, parseParams, parseQuery } from '../http/validate';
import { accountCall } from './account-routes-helpers';
import type { Actor } from './subscriber-accounts';

export const callerIdParamSchema = z.object({
  id: z.coerce
    .number({ error: 'Must be a number' })
    .int()
    .min(1)
    .max(2 ** 31 - 1),
});
export const callerIdQuerySchema = z.object({ number: z.string().trim().min(3).max(32).optional() });

/**
 * The subscriber's own account in the portal: balance and ledger, authorized caller IDs,
 * PIN and password change, calls with cost. Sign-in is in http/routes/portal-auth.ts.
 */
export function portalRoutes(deps: AppDeps) {
  const accounts = deps.subscriberAccounts;
  const app = new Hono<AppEnv>();
  for (const path of [
    '/portal/me',
    '/portal/ledger',
    '/portal/caller-ids',
    '/portal/caller-ids/*',
    '/portal/pin',
    '/portal/password',
    '/portal/calls',
  ]) {
    app.use(path, requireSubscriber);
  }
  const me = (c: { get(key: 'subscriberId'): number | null }) => c.get('subscriberId')!;
  const actor = (id: number): Actor => ({ kind: 'subscriber', id });

  app.get('/portal/me', async (c) => {
    const subscriber = await accounts.get(me(c));
    if (!subscriber) throw ApiError.unauthenticated('Sign in to the portal to continue');
    const body: PortalAccountResponse = { subscriber };
    return c.json(body);
  });

  app.get('/portal/ledger', async (c) => {
    const { page, pageSize } = parseQuery(c, pageQuerySchema);
    const { entries, total } = await accounts.ledger(me(c), page, pageSize);
    const body: LedgerResponse = { entries, total, page, pageSize };
    return c.json(body);
  });

  app.get('/portal/calls', async (c) => {
    const { page, pageSize } = parseQuery(c, pageQuerySchema);
    const { calls, total } = await accountCall(() => accounts.calls(me(c), page, pageSize));
    const body: PortalCallsResponse = { calls, total, page, pageSize };
    return c.json(body);
  });

  app.get('/portal/caller-ids', async (c) => c.json({ callerIds: await accounts.callerIds(me(c)) }));

  app.post('/portal/caller-ids', async (c) => {
    const { number } = await parseBody(c, callerIdInputSchema);
    const callerId = await accountCall(() => accounts.addCallerId(me(c), number, actor(me(c))));
    return c.json({ callerId }, 201);
  });

  app.delete('/portal/caller-ids/:id', async (c) => {
    const { id } = parseParams(c, callerIdParamSchema);
    await accountCall(() => accounts.removeCallerId(me(c), { id }, actor(me(c))));
    return c.body(null, 204);
  });

  /** DELETE /api/portal/caller-ids?number=+14155550132 removes by number. */
  app.delete('/portal/caller-ids', async (c) => {
    const { number } = parseQuery(c, callerIdQuerySchema);
    if (!number) throw fieldError('number', 'Name the caller ID to remove: ?number=… or /caller-ids/:id');
    await accountCall(() => accounts.removeCallerId(me(c), { number }, actor(me(c))));
    return c.body(null, 204);
  });

  /** Checks the current portal password; a wrong one counts toward the sign-in throttle. */
  async function assertPassword(c: Context<AppEnv>, password: string) {
    const subscriber = await accounts.require(me(c)).catch(() => null);
    if (!subscriber) throw ApiError.unauthenticated('Sign in to the portal to continue');
    const guard = new LoginGuard(deps, c, `subscriber:${subscriber.accountNumber}`);
    await guard.assertAllowed();
    if (!(await accounts.verifyPortalPassword(subscriber.id, password))) {
      await guard.failed();
      throw fieldError('currentPassword', 'The current password is not right');
    }
  }

  app.put('/portal/pin', async (c) => {
    const { pin, currentPassword } = await parseBody(c, changePinSchema);
    await assertPassword(c, currentPassword);
    await accountCall(() => accounts.setPin(me(c), pin, actor(me(c))));
    return c.body(null, 204);
  });

  app.put('/portal/password', async (c) => {
    const { currentPassword, newPassword } = await parseBody(c, changePasswordSchema);
    await assertPassword(c, currentPassword);
    await accountCall(() => accounts.setPassword(me(c), newPassword, actor(me(c))));
    return c.body(null, 204);
  });

  return app;
}
