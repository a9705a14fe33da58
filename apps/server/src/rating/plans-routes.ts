import {
  formatMinor,
  idParamSchema,
  planInputSchema,
  planUpdateSchema,
  type QuoteResponse,
  quoteQuerySchema,
} from '@switchboard/shared';
import type { Hono } from 'hono';
import { audit } from '../admin/admin-helpers';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { fieldError, parseBody, parseParams, parseQuery } from '../http/validate';
import { PlanStore } from './plan-store';
import type { RateTableStore } from './rate-table-store';
import { describeRate } from './rating-service';

/** Plans: list, create, change (a plan in use keeps its currency), delete (when no one is on it). */
export function registerPlanRoutes(app: Hono<AppEnv>, { db }: AppDeps, tables: RateTableStore) {
  const plans = new PlanStore(db, tables);

  app.get('/admin/plans', async (c) => c.json({ plans: await plans.list() }));

  app.post('/admin/plans', async (c) => {
    const input = await parseBody(c, planInputSchema);
    const id = await plans.create(input);
    await audit(db, c, { action: 'plan.create', entity: 'plan', entityId: id, after: input });
    return c.json({ plan: await plans.get(id) }, 201);
  });

  app.put('/admin/plans/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, planUpdateSchema);
    const before = await plans.get(id);
    await plans.update(before, input);
    await audit(db, c, { action: 'plan.update', entity: 'plan', entityId: id, before, after: input });
    return c.json({ plan: await plans.get(id) });
  });

  app.delete('/admin/plans/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const before = await plans.get(id);
    await plans.remove(before);
    await audit(db, c, { action: 'plan.delete', entity: 'plan', entityId: id, before });
    return c.body(null, 204);
  });
}

/** What a call from this subscriber to this number would cost and how long it could last. */
export function registerQuoteRoute(app: Hono<AppEnv>, { rating }: AppDeps) {
  app.get('/admin/rates/quote', async (c) => {
    const { subscriberId, number } = parseQuery(c, quoteQuerySchema);
    const q = await rating.quote(subscriberId, number);
    if (!q.ok && q.reason === 'unknown_subscriber') throw ApiError.notFound('No such subscriber');
    if (!q.ok && q.reason === 'invalid_destination') throw fieldError('number', q.message);
    const body: QuoteResponse = q.ok
      ? {
          ok: true,
          destination: q.destination,
          country: q.country ?? rating.countryOf(q.destination),
          rate: describeRate(q.rate),
          available: formatMinor(q.availableMinor, q.currency),
          currency: q.currency,
          maxDurationS: q.maxDurationS,
          reserveAmount: formatMinor(q.reserveMinor, q.currency),
        }
      : { ok: false, destination: q.destination, reason: q.reason, message: q.message };
    return c.json(body);
  });
}
