import {
  type AdminSubscribersResponse,
  adminSubscribersQuerySchema,
  callerIdInputSchema,
  createSubscriberSchema,
  creditRequestSchema,
  formatMinor,
  idParamSchema,
  type LedgerResponse,
  type PortalCallsResponse,
  pageQuerySchema,
  parseMoney,
  updateSubscriberSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { fieldError, parseBody, parseParams, parseQuery } from '../http/validate';
import { accountCall } from '../subscribers/account-routes-helpers';
import type { Actor } from '../subscribers/subscriber-accounts';

export const callerIdParamsSchema = idParamSchema.extend({
  callerIdId: z.coerce
    .number({ error: 'Must be a number' })
    .int()
    .min(1)
    .max(2 ** 31 - 1),
});

/**
 * Prepaid subscribers (admin): create, edit (suspend, plan, limits, reset PIN/password),
 * top up or adjust with a reason, authorized caller IDs, ledger and calls. Every change is audited
 * by SubscriberAccounts in the transaction that makes it.
 */
export function subscribersRoutes(deps: AppDeps) {
  const accounts = deps.subscriberAccounts;
  const app = new Hono<AppEnv>();
  app.use('/admin/subscribers', requireRole('admin'));
  app.use('/admin/subscribers/*', requireRole('admin'));
  const actor = (c: { get(key: 'user'): { id: number } | null }): Actor => ({
    kind: 'user',
    id: c.get('user')!.id,
  });

  app.get('/admin/subscribers', async (c) => {
    const q = parseQuery(c, adminSubscribersQuerySchema);
    const { subscribers, total } = await accounts.list(q);
    const body: AdminSubscribersResponse = { subscribers, total, page: q.page, pageSize: q.pageSize };
    return c.json(body);
  });

  app.post('/admin/subscribers', async (c) => {
    const input = await parseBody(c, createSubscriberSchema);
    const id = await accountCall(() => accounts.create(input, actor(c)));
    return c.json({ id, subscriber: await accounts.get(id) }, 201);
  });

  app.get('/admin/subscribers/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const subscriber = await accountCall(() => accounts.require(id));
    return c.json({ subscriber: { ...subscriber, callerIds: await accounts.callerIds(id) } });
  });

  app.patch('/admin/subscribers/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, updateSubscriberSchema);
    await accountCall(() => accounts.update(id, input, actor(c)));
    return c.json({ subscriber: await accounts.get(id) });
  });

  /** `{ amount, reason, kind?: 'top_up' | 'adjustment', direction?: 'credit' | 'debit' }`. */
  app.post('/admin/subscribers/:id/credit', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, creditRequestSchema);
    const subscriber = await accountCall(() => accounts.require(id));
    const amount = parseMoney(input.amount, subscriber.currency);
    if (!amount.ok) throw fieldError('amount', `${amount.message} (${subscriber.currency})`);
    const after = await accountCall(() =>
      accounts.credit(
        id,
        { amountMinor: amount.value, kind: input.kind, direction: input.direction, reason: input.reason },
        actor(c),
      ),
    );
    return c.json({
      subscriber: await accounts.get(id),
      balance: formatMinor(after.balanceMinor, after.currency),
      currency: after.currency,
    });
  });

  app.get('/admin/subscribers/:id/ledger', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const { page, pageSize } = parseQuery(c, pageQuerySchema);
    await accountCall(() => accounts.require(id));
    const { entries, total } = await accounts.ledger(id, page, pageSize);
    const body: LedgerResponse = { entries, total, page, pageSize };
    return c.json(body);
  });

  app.get('/admin/subscribers/:id/calls', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const { page, pageSize } = parseQuery(c, pageQuerySchema);
    const { calls, total } = await accountCall(() => accounts.calls(id, page, pageSize));
    const body: PortalCallsResponse = { calls, total, page, pageSize };
    return c.json(body);
  });

  app.get('/admin/subscribers/:id/caller-ids', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    await accountCall(() => accounts.require(id));
    return c.json({ callerIds: await accounts.callerIds(id) });
  });

  app.post('/admin/subscribers/:id/caller-ids', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const { number } = await parseBody(c, callerIdInputSchema);
    const callerId = await accountCall(() => accounts.addCallerId(id, number, actor(c)));
    return c.json({ callerId }, 201);
  });

  app.delete('/admin/subscribers/:id/caller-ids/:callerIdId', async (c) => {
    const { id, callerIdId } = parseParams(c, callerIdParamsSchema);
    await accountCall(() => accounts.removeCallerId(id, { id: callerIdId }, actor(c)));
    return c.body(null, 204);
  });

  return app;
}
