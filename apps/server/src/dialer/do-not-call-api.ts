import { doNotCallCreateSchema, doNotCallListQuerySchema, errorCodes, toE164 } from '@switchboard/shared';
import { parse } from 'csv-parse/sync';
import { Hono } from 'hono';
import type { CountryCode } from 'libphonenumber-js';
import { recordAudit } from '../audit/audit-log';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { idParams } from '../http/id-params';
import { requireRole } from '../http/middleware/require-role';
import { fieldError, parseBody, parseParams, parseQuery } from '../http/validate';
import { viewerOf } from '../http/viewer';

const MAX_IMPORT_ROWS = 100_000;

interface CsvProblem {
  line: number;
  message: string;
}

/**
 * Reads a do-not-call CSV: a header naming a `number` (or `phone`) column and optionally `reason`,
 * or no header and the number in the first column. Every bad line is reported; none is taken then.
 */
export function parseDoNotCallCsv(
  text: string,
  country: CountryCode,
):
  | { ok: true; entries: Array<{ number: string; reason: string | null }> }
  | { ok: false; errors: CsvProblem[] } {
  let rows: string[][];
  try {
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
    rows = parse(text, {
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      bom: true,
    });
  } catch (err) {
    return { ok: false, errors: [{ line: 1, message: `Not a CSV file: ${(err as Error).message}` }] };
  }
  if (!rows.length) return { ok: false, errors: [{ line: 1, message: 'The file is empty' }] };
  if (rows.length > MAX_IMPORT_ROWS + 1)
    return { ok: false, errors: [{ line: 1, message: `At most ${MAX_IMPORT_ROWS} numbers per file` }] };
  const header = rows[0]!.map((h) => h.toLowerCase().replace(/[^a-z]/g, ''));
  let numberCol = header.findIndex((h) => h === 'number' || h === 'phone' || h === 'phonenumber');
  const reasonCol = header.indexOf('reason');
  let start = 1;
  if (numberCol < 0) {
    // No header: numbers from the first line on, in the first column.
    numberCol = 0;
    start = 0;
  }
  const entries: Array<{ number: string; reason: string | null }> = [];
  const errors: CsvProblem[] = [];
  for (let i = start; i < rows.length; i++) {
    const raw = rows[i]![numberCol] ?? '';
    const number = toE164(raw, country);
    if (!number) {
      errors.push({ line: i + 1, message: `“${raw.slice(0, 40)}” is not a phone number` });
      continue;
    }
    const reason = reasonCol >= 0 ? (rows[i]![reasonCol] ?? '').slice(0, 200) || null : null;
    entries.push({ number, reason });
  }
  return errors.length ? { ok: false, errors } : { ok: true, entries };
}

/** The do-not-call list: supervisors read it, administrators change it. */
export function doNotCallApi(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('/do-not-call', requireRole('supervisor'));
  app.use('/do-not-call/*', requireRole('supervisor'));
  listRoute(app, deps);
  addRoute(app, deps);
  importRoute(app, deps);
  removeRoute(app, deps);
  return app;
}

const adminOnly = requireRole('admin');

/** The list, searched and paged. */
function listRoute(app: Hono<AppEnv>, { doNotCall }: AppDeps) {
  app.get('/do-not-call', async (c) => {
    const q = parseQuery(c, doNotCallListQuerySchema);
    const { total, entries } = await doNotCall.list({
      search: q.search,
      limit: q.limit,
      offset: (q.page - 1) * q.limit,
    });
    return c.json({
      total,
      entries: entries.map((e) => ({
        id: e.id,
        number: e.number,
        reason: e.reason,
        createdAt: e.created_at,
      })),
    });
  });
}

/** One number added by hand; a number already listed is a conflict. */
function addRoute(app: Hono<AppEnv>, deps: AppDeps) {
  const { db, doNotCall } = deps;
  const country = deps.config.defaultCountry as CountryCode;
  app.post('/do-not-call', adminOnly, async (c) => {
    const body = await parseBody(c, doNotCallCreateSchema);
    const number = toE164(body.number, country);
    if (!number) throw fieldError('number', 'This is not a phone number');
    const viewer = await viewerOf(c, deps);
    const now = Date.now();
    const added = await doNotCall.add([{ number, reason: body.reason }], viewer.user.id, now);
    if (!added) throw ApiError.conflict('This number is already on the do-not-call list');
    await recordAudit(
      db,
      {
        actor: { kind: 'user', id: viewer.user.id },
        action: 'create',
        entity: 'do_not_call',
        entityId: number,
        after: { number },
      },
      now,
    );
    const row = await db
      .selectFrom('do_not_call')
      .select(['id', 'number', 'reason', 'created_at'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    return c.json(
      { entry: { id: row.id, number: row.number, reason: row.reason, createdAt: row.created_at } },
      201,
    );
  });
}

/** The body is the CSV file (`text/csv`); all or nothing. */
function importRoute(app: Hono<AppEnv>, deps: AppDeps) {
  const { db, doNotCall } = deps;
  const country = deps.config.defaultCountry as CountryCode;
  app.post('/do-not-call/import', adminOnly, async (c) => {
    const text = await c.req.text();
    if (text.length > 10_000_000) throw ApiError.badRequest('The file is too large (10 MB at most)');
    const parsed = parseDoNotCallCsv(text, country);
    if (!parsed.ok) {
      const first = parsed.errors[0]!;
      throw new ApiError(
        400,
        errorCodes.validation,
        `The file has ${parsed.errors.length} problem(s); nothing was imported. Line ${first.line}: ${first.message}`,
        { rows: parsed.errors.slice(0, 100), errorCount: parsed.errors.length },
      );
    }
    const viewer = await viewerOf(c, deps);
    const now = Date.now();
    const unique = [...new Map(parsed.entries.map((e) => [e.number, e])).values()];
    const added = await doNotCall.add(unique, viewer.user.id, now);
    await recordAudit(
      db,
      {
        actor: { kind: 'user', id: viewer.user.id },
        action: 'import',
        entity: 'do_not_call',
        entityId: null,
        after: { added, rows: parsed.entries.length },
      },
      now,
    );
    return c.json({ added, alreadyListed: unique.length - added });
  });
}

/** One entry taken off the list. */
function removeRoute(app: Hono<AppEnv>, deps: AppDeps) {
  const { db, doNotCall } = deps;
  app.delete('/do-not-call/:id', adminOnly, async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    if (!(await doNotCall.remove(id))) throw ApiError.notFound('No such entry');
    await recordAudit(
      db,
      { actor: { kind: 'user', id: viewer.user.id }, action: 'delete', entity: 'do_not_call', entityId: id },
      Date.now(),
    );
    return c.body(null, 204);
  });
}
