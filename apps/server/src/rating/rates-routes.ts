import {
  errorCodes,
  idParamSchema,
  type RateImportResponse,
  type RatesResponse,
  rateImportModes,
  rateImportQuerySchema,
  rateInputSchema,
  ratesQuerySchema,
} from '@switchboard/shared';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../admin/admin-helpers';
import { type CsvValue, csvResponse } from '../csv/csv-response';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { parseRateCsv, rateCsvAlsoQuoted, rateCsvHeader, rateCsvRow } from './rate-csv';
import type { RateTableStore } from './rate-table-store';

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

/** A table's rates one by one: a page of them, add, change, delete. */
export function registerRateRoutes(app: Hono<AppEnv>, { db }: AppDeps, tables: RateTableStore) {
  app.get('/admin/rate-tables/:id/rates', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const q = parseQuery(c, ratesQuerySchema);
    await tables.get(id);
    const { rates, total } = await tables.ratesPage(id, q);
    const body: RatesResponse = { rates, page: q.page, pageSize: q.pageSize, total };
    return c.json(body);
  });

  app.post('/admin/rate-tables/:id/rates', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, rateInputSchema);
    await tables.get(id);
    const rate = await tables.addRate(id, input);
    await audit(db, c, { action: 'rate.create', entity: 'rate_table', entityId: id, after: rate });
    return c.json({ rate }, 201);
  });

  app.put('/admin/rate-tables/:id/rates/:rateId', async (c) => {
    const { id, rateId } = parseParams(c, rateParamsSchema);
    const input = await parseBody(c, rateInputSchema);
    const { before, after } = await tables.updateRate(id, rateId, input);
    await audit(db, c, { action: 'rate.update', entity: 'rate_table', entityId: id, before, after });
    return c.json({ rate: after });
  });

  app.delete('/admin/rate-tables/:id/rates/:rateId', async (c) => {
    const { id, rateId } = parseParams(c, rateParamsSchema);
    const before = await tables.removeRate(id, rateId);
    await audit(db, c, { action: 'rate.delete', entity: 'rate_table', entityId: id, before });
    return c.body(null, 204);
  });
}

/** The file as sent: a text/csv body, or JSON `{ csv, mode }` whose mode wins over the query's. */
async function importedFile(
  c: Context<AppEnv>,
  mode: 'replace' | 'add',
): Promise<{ text: string; mode: 'replace' | 'add' }> {
  if ((c.req.header('content-type') ?? '').includes('application/json')) {
    const body = await parseBody(c, importJsonSchema);
    return { text: body.csv, mode: body.mode ?? mode };
  }
  return { text: await c.req.text(), mode };
}

/** The whole table as a CSV file import reads back. */
async function exportRates(c: Context<AppEnv>, deps: AppDeps, tables: RateTableStore) {
  const { id } = parseParams(c, idParamSchema);
  const table = await tables.get(id);
  const rows = (await tables.allRates(id)).map(rateCsvRow);
  const name = table.name.replace(/[^A-Za-z0-9._-]+/g, '-');
  return csvResponse(
    `rates-${name}.csv`,
    rateCsvHeader,
    oneBatch(rows),
    (err) => deps.logger.error({ err }, 'rate table export failed'),
    undefined,
    rateCsvAlsoQuoted,
  );
}

async function* oneBatch(rows: CsvValue[][]): AsyncGenerator<CsvValue[][]> {
  yield rows;
}

/**
 * CSV import and export. Import is all or nothing: `;` or `,` is decided from the header line, any
 * bad row → 400 listing every problem by line, nothing changed. `mode=replace` (default) makes the
 * file the table's rates; `add` adds to them.
 */
export function registerRateFileRoutes(app: Hono<AppEnv>, deps: AppDeps, tables: RateTableStore) {
  app.post('/admin/rate-tables/:id/import', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const query = parseQuery(c, rateImportQuerySchema);
    const table = await tables.get(id);
    const { text, mode } = await importedFile(c, query.mode);
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
    const outcome = await tables.importRates(id, parsed.rates, mode);
    if (!outcome.ok) {
      const first = outcome.errors[0]!;
      throw new ApiError(
        409,
        errorCodes.conflict,
        `${outcome.errors.length} row(s) repeat a prefix and date the table has; nothing was imported. Line ${first.line}: ${first.message}`,
        { rows: outcome.errors, errorCount: outcome.errors.length, delimiter: parsed.delimiter },
      );
    }
    await audit(deps.db, c, {
      action: 'rate_table.import',
      entity: 'rate_table',
      entityId: id,
      before: { rateCount: table.rateCount },
      after: { mode, imported: outcome.imported, delimiter: parsed.delimiter },
    });
    const body: RateImportResponse = { imported: outcome.imported, mode, delimiter: parsed.delimiter };
    return c.json(body);
  });

  app.get('/admin/rate-tables/:id/export', (c) => exportRates(c, deps, tables));
  app.get('/admin/rate-tables/:id/export.csv', (c) => exportRates(c, deps, tables));
}
