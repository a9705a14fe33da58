import {
  errorCodes,
  formatMicros,
  formatMinor,
  idParamSchema,
  type Plan,
  planInputSchema,
  planUpdateSchema,
  type QuoteResponse,
  quoteQuerySchema,
  type Rate,
  type RateImportResponse,
  type RatesResponse,
  type RateTable,
  rateImportModes,
  rateImportQuerySchema,
  rateInputSchema,
  ratesQuerySchema,
  rateTableInputSchema,
  rateTableUpdateSchema,
} from '@switchboard/shared';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { parseRateCsv, rateCsvHeader, rateCsvLine } from '../rating/rate-csv';
import { importRates } from '../rating/rate-tables';
import { describeRate } from '../rating/rating-service';
import { fieldError } from '../subscribers/account-routes-helpers';
import { audit, isUniqueViolation } from './admin-helpers';

export const rateParamsSchema = idParamSchema.extend({
  rateId: z.coerce
    .number({ error: 'Must be a number' })
    .int()
    .min(1)
    .max(2 ** 31 - 1),
});
export const importJsonSchema = z
  .object({ csv: z.string({ error: 'csv is the file as text' }), mode: z.enum(rateImportModes).optional() })
  .strict();

type RateRow = {
  id: number;
  prefix: string;
  description: string | null;
  price_per_minute_micros: number;
  connect_fee_micros: number;
  initial_increment_s: number;
  increment_s: number;
  effective_from: number;
};

function toRate(r: RateRow): Rate {
  return {
    id: r.id,
    prefix: r.prefix,
    description: r.description,
    pricePerMinute: formatMicros(Number(r.price_per_minute_micros)),
    connectFee: formatMicros(Number(r.connect_fee_micros)),
    initialIncrementS: r.initial_increment_s,
    incrementS: r.increment_s,
    effectiveFrom: Number(r.effective_from),
  };
}

const duplicateRate = () =>
  new ApiError(
    409,
    errorCodes.conflict,
    'prefix: The table already has a rate for this prefix from this date',
    {
      fields: [{ field: 'prefix', message: 'A rate for this prefix and effective date exists' }],
    },
  );

async function rateTables(db: Db, id?: number): Promise<RateTable[]> {
  let q = db
    .selectFrom('rate_tables')
    .select((eb) => [
      'rate_tables.id',
      'rate_tables.name',
      'rate_tables.currency',
      'rate_tables.description',
      'rate_tables.updated_at',
      eb
        .selectFrom('rate_table_rates')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('rate_table_rates.rate_table_id', '=', 'rate_tables.id')
        .as('rate_count'),
    ])
    .orderBy('rate_tables.name');
  if (id !== undefined) q = q.where('rate_tables.id', '=', id);
  const rows = await q.execute();
  const plans = await db
    .selectFrom('plans')
    .select(['id', 'name', 'rate_table_id'])
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    currency: r.currency,
    description: r.description,
    rateCount: Number(r.rate_count ?? 0),
    plans: plans.filter((p) => p.rate_table_id === r.id).map((p) => ({ id: p.id, name: p.name })),
    updatedAt: Number(r.updated_at),
  }));
}

/**
 * Rate tables, their rates (CSV import and export), plans and quotes (admin). Every change
 * moves the table's updated_at and drops the rating engine's index of it, and is audited.
 */
export function rateTablesRoutes(deps: AppDeps) {
  const { db, rating } = deps;
  const app = new Hono<AppEnv>();
  for (const path of [
    '/admin/rate-tables',
    '/admin/rate-tables/*',
    '/admin/plans',
    '/admin/plans/*',
    '/admin/rates/*',
  ]) {
    app.use(path, requireRole('admin'));
  }

  async function tableOr404(id: number): Promise<RateTable> {
    const [t] = await rateTables(db, id);
    if (!t) throw ApiError.notFound('No such rate table');
    return t;
  }
  async function touched(id: number) {
    await db.updateTable('rate_tables').set({ updated_at: Date.now() }).where('id', '=', id).execute();
    rating.invalidate(id);
  }

  app.get('/admin/rate-tables', async (c) => c.json({ rateTables: await rateTables(db) }));

  app.post('/admin/rate-tables', async (c) => {
    const input = await parseBody(c, rateTableInputSchema);
    const now = Date.now();
    try {
      const row = await db
        .insertInto('rate_tables')
        .values({ ...input, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(db, c, {
        action: 'rate_table.create',
        entity: 'rate_table',
        entityId: row.id,
        after: input,
      });
      return c.json({ rateTable: await tableOr404(row.id) }, 201);
    } catch (err) {
      if (isUniqueViolation(err)) throw fieldError('name', 'A rate table with this name exists');
      throw err;
    }
  });

  app.get('/admin/rate-tables/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    return c.json({ rateTable: await tableOr404(id) });
  });

  app.put('/admin/rate-tables/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, rateTableUpdateSchema);
    const before = await tableOr404(id);
    try {
      await db
        .updateTable('rate_tables')
        .set({ ...input, updated_at: Date.now() })
        .where('id', '=', id)
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw fieldError('name', 'A rate table with this name exists');
      throw err;
    }
    await audit(db, c, {
      action: 'rate_table.update',
      entity: 'rate_table',
      entityId: id,
      before: { name: before.name, description: before.description },
      after: input,
    });
    return c.json({ rateTable: await tableOr404(id) });
  });

  app.delete('/admin/rate-tables/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const before = await tableOr404(id);
    if (before.plans.length) {
      throw ApiError.conflict(
        `The table is used by plan(s) ${before.plans.map((p) => p.name).join(', ')}: change them first`,
      );
    }
    await db.deleteFrom('rate_tables').where('id', '=', id).execute();
    rating.invalidate(id);
    await audit(db, c, {
      action: 'rate_table.delete',
      entity: 'rate_table',
      entityId: id,
      before: { name: before.name, currency: before.currency, rateCount: before.rateCount },
    });
    return c.body(null, 204);
  });

  // ---- rates ------------------------------------------------------------------------------------

  app.get('/admin/rate-tables/:id/rates', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const q = parseQuery(c, ratesQuerySchema);
    await tableOr404(id);
    let base = db.selectFrom('rate_table_rates').where('rate_table_id', '=', id);
    if (q.prefix) base = base.where('prefix', 'like', `${q.prefix}%`);
    const rows = await base
      .selectAll()
      .orderBy('prefix')
      .orderBy('effective_from')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const body: RatesResponse = {
      rates: rows.map(toRate),
      page: q.page,
      pageSize: q.pageSize,
      total: Number(count.n),
    };
    return c.json(body);
  });

  app.post('/admin/rate-tables/:id/rates', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, rateInputSchema);
    await tableOr404(id);
    try {
      const row = await db
        .insertInto('rate_table_rates')
        .values({
          rate_table_id: id,
          prefix: input.prefix,
          description: input.description,
          price_per_minute_micros: input.pricePerMinute,
          connect_fee_micros: input.connectFee,
          initial_increment_s: input.initialIncrementS,
          increment_s: input.incrementS,
          effective_from: input.effectiveFrom,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await touched(id);
      const rate = toRate(
        (await db
          .selectFrom('rate_table_rates')
          .selectAll()
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow()) as RateRow,
      );
      await audit(db, c, { action: 'rate.create', entity: 'rate_table', entityId: id, after: rate });
      return c.json({ rate }, 201);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateRate();
      throw err;
    }
  });

  app.put('/admin/rate-tables/:id/rates/:rateId', async (c) => {
    const { id, rateId } = parseParams(c, rateParamsSchema);
    const input = await parseBody(c, rateInputSchema);
    const before = await db
      .selectFrom('rate_table_rates')
      .selectAll()
      .where('id', '=', rateId)
      .where('rate_table_id', '=', id)
      .executeTakeFirst();
    if (!before) throw ApiError.notFound('No such rate in this table');
    try {
      await db
        .updateTable('rate_table_rates')
        .set({
          prefix: input.prefix,
          description: input.description,
          price_per_minute_micros: input.pricePerMinute,
          connect_fee_micros: input.connectFee,
          initial_increment_s: input.initialIncrementS,
          increment_s: input.incrementS,
          effective_from: input.effectiveFrom,
        })
        .where('id', '=', rateId)
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateRate();
      throw err;
    }
    await touched(id);
    const rate = toRate(
      (await db
        .selectFrom('rate_table_rates')
        .selectAll()
        .where('id', '=', rateId)
        .executeTakeFirstOrThrow()) as RateRow,
    );
    await audit(db, c, {
      action: 'rate.update',
      entity: 'rate_table',
      entityId: id,
      before: toRate(before as RateRow),
      after: rate,
    });
    return c.json({ rate });
  });

  app.delete('/admin/rate-tables/:id/rates/:rateId', async (c) => {
    const { id, rateId } = parseParams(c, rateParamsSchema);
    const before = await db
      .deleteFrom('rate_table_rates')
      .where('id', '=', rateId)
      .where('rate_table_id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!before) throw ApiError.notFound('No such rate in this table');
    await touched(id);
    await audit(db, c, {
      action: 'rate.delete',
      entity: 'rate_table',
      entityId: id,
      before: toRate(before as RateRow),
    });
    return c.body(null, 204);
  });

  /**
   * CSV import, all or nothing: the body is the file (`text/csv`, or JSON `{ csv, mode }`); `;` or `,`
   * is decided from the header line. Any bad row → 400 listing every problem by line, nothing
   * changed. `?mode=replace` (default) makes the file the table's rates; `add` adds to them.
   */
  app.post('/admin/rate-tables/:id/import', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    let { mode } = parseQuery(c, rateImportQuerySchema);
    const table = await tableOr404(id);
    let text: string;
    if ((c.req.header('content-type') ?? '').includes('application/json')) {
      const body = await parseBody(c, importJsonSchema);
      text = body.csv;
      if (body.mode) mode = body.mode;
    } else {
      text = await c.req.text();
    }
    const parsed = parseRateCsv(text);
    if (!parsed.ok) {
      const first = parsed.errors[0]!;
      throw new ApiError(
        400,
        errorCodes.validation,
        `The file has ${parsed.errorCount} problem(s); nothing was imported. Line ${first.line}: ${first.message}`,
        { rows: parsed.errors, errorCount: parsed.errorCount, delimiter: parsed.delimiter },
      );
    }
    const outcome = await importRates(db, id, parsed.rates, mode);
    if (!outcome.ok) {
      const first = outcome.errors[0]!;
      throw new ApiError(
        409,
        errorCodes.conflict,
        `${outcome.errors.length} row(s) repeat a prefix and date the table has; nothing was imported. Line ${first.line}: ${first.message}`,
        { rows: outcome.errors, errorCount: outcome.errors.length, delimiter: parsed.delimiter },
      );
    }
    rating.invalidate(id);
    await audit(db, c, {
      action: 'rate_table.import',
      entity: 'rate_table',
      entityId: id,
      before: { rateCount: table.rateCount },
      after: { mode, imported: outcome.imported, delimiter: parsed.delimiter },
    });
    const body: RateImportResponse = { imported: outcome.imported, mode, delimiter: parsed.delimiter };
    return c.json(body);
  });

  const exportCsv = async (c: Context<AppEnv>) => {
    const { id } = parseParams(c, idParamSchema);
    const table = await tableOr404(id);
    const rows = (await db
      .selectFrom('rate_table_rates')
      .selectAll()
      .where('rate_table_id', '=', id)
      .orderBy('prefix')
      .orderBy('effective_from')
      .execute()) as RateRow[];
    const lines = rows.map((r) =>
      rateCsvLine({
        prefix: r.prefix,
        description: r.description,
        pricePerMinuteMicros: Number(r.price_per_minute_micros),
        connectFeeMicros: Number(r.connect_fee_micros),
        initialIncrementS: r.initial_increment_s,
        incrementS: r.increment_s,
        effectiveFrom: Number(r.effective_from),
      }),
    );
    const name = table.name.replace(/[^A-Za-z0-9._-]+/g, '-');
    return new Response(`\ufeff${[rateCsvHeader.join(','), ...lines].join('\r\n')}\r\n`, {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="rates-${name}.csv"`,
        'cache-control': 'no-store',
      },
    });
  };
  app.get('/admin/rate-tables/:id/export', exportCsv);
  app.get('/admin/rate-tables/:id/export.csv', exportCsv);

  // ---- plans ------------------------------------------------------------------------------------

  async function plans(id?: number): Promise<Plan[]> {
    let q = db
      .selectFrom('plans')
      .innerJoin('rate_tables', 'rate_tables.id', 'plans.rate_table_id')
      .select((eb) => [
        'plans.id',
        'plans.name',
        'plans.rate_table_id',
        'plans.description',
        'rate_tables.name as table_name',
        'rate_tables.currency',
        eb
          .selectFrom('subscribers')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('subscribers.plan_id', '=', 'plans.id')
          .as('subscriber_count'),
      ])
      .orderBy('plans.name');
    if (id !== undefined) q = q.where('plans.id', '=', id);
    return (await q.execute()).map((p) => ({
      id: p.id,
      name: p.name,
      rateTableId: p.rate_table_id,
      rateTableName: p.table_name,
      currency: p.currency,
      description: p.description,
      subscriberCount: Number(p.subscriber_count ?? 0),
    }));
  }
  async function planOr404(id: number) {
    const [p] = await plans(id);
    if (!p) throw ApiError.notFound('No such plan');
    return p;
  }

  app.get('/admin/plans', async (c) => c.json({ plans: await plans() }));

  app.post('/admin/plans', async (c) => {
    const input = await parseBody(c, planInputSchema);
    await tableOr404(input.rateTableId).catch(() => {
      throw fieldError('rateTableId', 'No such rate table');
    });
    const now = Date.now();
    try {
      const row = await db
        .insertInto('plans')
        .values({
          name: input.name,
          rate_table_id: input.rateTableId,
          description: input.description,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(db, c, { action: 'plan.create', entity: 'plan', entityId: row.id, after: input });
      return c.json({ plan: await planOr404(row.id) }, 201);
    } catch (err) {
      if (isUniqueViolation(err)) throw fieldError('name', 'A plan with this name exists');
      throw err;
    }
  });

  app.put('/admin/plans/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, planUpdateSchema);
    const before = await planOr404(id);
    if (input.rateTableId !== undefined && input.rateTableId !== before.rateTableId) {
      const table = await tableOr404(input.rateTableId).catch(() => {
        throw fieldError('rateTableId', 'No such rate table');
      });
      // Subscribers keep their currency: a plan in use may only move to a table in the same one.
      if (table.currency !== before.currency && before.subscriberCount > 0) {
        throw fieldError(
          'rateTableId',
          `Subscribers on this plan pay in ${before.currency}; the table is in ${table.currency}`,
        );
      }
    }
    try {
      await db
        .updateTable('plans')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.rateTableId !== undefined ? { rate_table_id: input.rateTableId } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          updated_at: Date.now(),
        })
        .where('id', '=', id)
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw fieldError('name', 'A plan with this name exists');
      throw err;
    }
    await audit(db, c, { action: 'plan.update', entity: 'plan', entityId: id, before, after: input });
    return c.json({ plan: await planOr404(id) });
  });

  app.delete('/admin/plans/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const before = await planOr404(id);
    if (before.subscriberCount > 0) {
      throw ApiError.conflict(`${before.subscriberCount} subscriber(s) are on this plan: move them first`);
    }
    await db.deleteFrom('plans').where('id', '=', id).execute();
    await audit(db, c, { action: 'plan.delete', entity: 'plan', entityId: id, before });
    return c.body(null, 204);
  });

  // ---- quote ------------------------------------------------------------------------------------

  /** What a call from this subscriber to this number would cost and how long it could last. */
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

  return app;
}
