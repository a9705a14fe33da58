import { setImmediate } from 'node:timers/promises';
import {
  type DialTask,
  type DialTaskHistoryEntry,
  type DialTaskImportRowError,
  dialTaskCreateSchema,
  dialTaskImportSchema,
  dialTaskListQuerySchema,
  dialTaskUpdateSchema,
  errorCodes,
  parseDateTime,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log';
import { checkPhone } from '../customers/phones';
import type { Db } from '../db/database';
import type { DialTaskResult } from '../db/schema';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { fieldError, parseDateField, requestTimeZone } from '../http/date-input';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { type Viewer, viewerOf } from '../http/viewer';
import { mapHeader, parseCsv } from './csv';

const idParams = z.object({
  id: z.coerce.number().int('id must be a whole number').positive('id must be positive'),
});
const maxImportRows = 5000;

type Problem = { field: string; message: string };
class RowProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

interface TaskValues {
  customer_id: number | null;
  number: string;
  assigned_user_id: number;
  start_at: number;
  end_at: number;
  note: string | null;
}

async function loadTasks(db: Db, viewer: Viewer, ids: number[]): Promise<DialTask[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('dial_tasks')
    .innerJoin('users as a', 'a.id', 'dial_tasks.assigned_user_id')
    .innerJoin('users as c', 'c.id', 'dial_tasks.created_by_user_id')
    .leftJoin('customers', 'customers.id', 'dial_tasks.customer_id')
    .select([
      'dial_tasks.id',
      'dial_tasks.customer_id',
      'customers.name as customer_name',
      'dial_tasks.number',
      'dial_tasks.assigned_user_id',
      'a.display_name as assignee_name',
      'dial_tasks.created_by_user_id',
      'c.display_name as creator_name',
      'dial_tasks.start_at',
      'dial_tasks.end_at',
      'dial_tasks.note',
      'dial_tasks.result',
      'dial_tasks.attempts',
      'dial_tasks.created_at',
      'dial_tasks.updated_at',
    ])
    .where('dial_tasks.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        customer:
          r.customer_id !== null && r.customer_name !== null
            ? { id: r.customer_id, name: r.customer_name }
            : null,
        number: viewer.mask(r.number),
        assignee: { id: r.assigned_user_id, displayName: r.assignee_name },
        createdBy: { id: r.created_by_user_id, displayName: r.creator_name },
        startAt: r.start_at,
        endAt: r.end_at,
        note: r.note,
        result: r.result,
        attempts: r.attempts,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      },
    ];
  });
}

/** Rows written per statement (and their audit entries) during an import. */
const IMPORT_WRITE_ROWS = 50;

/**
 * Work of an import between two turns of the event loop. SQLite answers synchronously, so an
 * import that never yields holds SIP and HTTP for its whole length; each turn also reports progress.
 */
function importSlicer(report: (done: number) => void, budgetMs = 40) {
  let since = performance.now();
  return async (done: number): Promise<void> => {
    if (performance.now() - since < budgetMs) return;
    report(done);
    await setImmediate();
    since = performance.now();
  };
}

/** Reads an end time; a date alone means the end of that day. */
function parseEnd(field: string, text: string, zone: string): number {
  const parsed = parseDateField(field, text, zone);
  if (!parsed.dateOnly) return parsed.utcMs;
  return parseDateTime(`${text.trim()}T23:59:59`, zone)!.utcMs + 999;
}

/** Outbound dial tasks (seed 004): supervisors plan and assign; agents work theirs and set the result. */
export function dialTasksApi(deps: AppDeps) {
  const { db, config } = deps;
  const app = new Hono<AppEnv>();
  app.use('/dial-tasks', requireRole('agent'));
  app.use('/dial-tasks/*', requireRole('agent'));

  async function findAgent(ref: number | string, field: string): Promise<number> {
    let q = db
      .selectFrom('users')
      .select('id')
      .where('role', 'in', ['agent', 'supervisor'])
      .where('disabled', '=', 0);
    if (typeof ref === 'number') q = q.where('id', '=', ref);
    else {
      const text = ref.trim();
      q = q.where((eb) => eb.or([eb('username', '=', text), eb('agent_id', '=', text)]));
    }
    const row = await q.executeTakeFirst();
    if (!row) throw new RowProblem({ field, message: `No agent ${JSON.stringify(String(ref))}` });
    return row.id;
  }

  /** The customer and number a task dials: a typed number wins; else the chosen or first phone. */
  async function resolveTarget(input: {
    customerId?: number | null;
    phoneId?: number | null;
    number?: string | null;
  }): Promise<{ customer_id: number | null; number: string }> {
    let customerId: number | null = null;
    let number: string | null = null;
    if (input.customerId != null) {
      const customer = await db
        .selectFrom('customers')
        .select('id')
        .where('id', '=', input.customerId)
        .executeTakeFirst();
      if (!customer) throw new RowProblem({ field: 'customerId', message: 'No such customer' });
      customerId = customer.id;
    }
    if (input.number?.trim()) {
      const checked = checkPhone(input.number, config.defaultCountry);
      if (!checked.ok) throw new RowProblem({ field: 'number', message: checked.message });
      number = checked.e164;
    } else if (customerId !== null) {
      let q = db.selectFrom('customer_phones').select('number').where('customer_id', '=', customerId);
      if (input.phoneId != null) q = q.where('id', '=', input.phoneId);
      const phone = await q.orderBy('id').executeTakeFirst();
      if (!phone) {
        throw new RowProblem(
          input.phoneId != null
            ? { field: 'phoneId', message: 'This number is not one of the customer’s' }
            : { field: 'customerId', message: 'The customer has no phone number' },
        );
      }
      number = phone.number;
    }
    if (!number) throw new RowProblem({ field: 'number', message: 'Enter a number or choose a customer' });
    return { customer_id: customerId, number };
  }

  function asFieldError<T>(fn: () => Promise<T>): Promise<T> {
    return fn().catch((err) => {
      if (err instanceof RowProblem) throw fieldError(err.problem.field, err.problem.message);
      throw err;
    });
  }

  async function findVisibleTask(viewer: Viewer, id: number) {
    let q = db.selectFrom('dial_tasks').selectAll().where('id', '=', id);
    if (!viewer.seesAll) q = q.where('assigned_user_id', '=', viewer.user.id);
    const row = await q.executeTakeFirst();
    if (!row) throw ApiError.notFound('No such dial task');
    return row;
  }

  app.get('/dial-tasks', async (c) => {
    const query = parseQuery(c, dialTaskListQuerySchema);
    const viewer = await viewerOf(c, deps);
    if (!viewer.seesAll && query.assignee !== undefined && query.assignee !== viewer.user.id) {
      throw ApiError.forbidden('Agents see only the tasks assigned to them');
    }
    let base = db.selectFrom('dial_tasks');
    const assignee = viewer.seesAll ? query.assignee : viewer.user.id;
    if (assignee !== undefined) base = base.where('assigned_user_id', '=', assignee);
    if (query.result) base = base.where('result', '=', query.result);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const ids = await base
      .select('id')
      .orderBy('start_at', 'asc')
      .orderBy('id', 'asc')
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute();
    return c.json({
      tasks: await loadTasks(
        db,
        viewer,
        ids.map((r) => r.id),
      ),
      total: Number(total.n),
      page: query.page,
      limit: query.limit,
    });
  });

  app.post('/dial-tasks', requireRole('supervisor'), async (c) => {
    const body = await parseBody(c, dialTaskCreateSchema);
    const viewer = await viewerOf(c, deps);
    const zone = requestTimeZone(body.timeZone, viewer.user.timeZone);
    const start = parseDateField('startAt', body.startAt, zone).utcMs;
    const end = parseEnd('endAt', body.endAt, zone);
    if (end < start) throw fieldError('endAt', 'The end date is before the start date');
    const target = await asFieldError(() => resolveTarget(body));
    const assigned = await asFieldError(() => findAgent(body.assignedUserId, 'assignedUserId'));
    const values: TaskValues = {
      ...target,
      assigned_user_id: assigned,
      start_at: start,
      end_at: end,
      note: body.note ?? null,
    };
    const id = await db.transaction().execute(async (tx) => {
      const now = Date.now();
      const row = await tx
        .insertInto('dial_tasks')
        .values({ ...values, created_by_user_id: viewer.user.id, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: viewer.user.id },
          action: 'create',
          entity: 'dial_task',
          entityId: row.id,
          after: values,
        },
        now,
      );
      return row.id;
    });
    const [task] = await loadTasks(db, viewer, [id]);
    return c.json({ task: task! }, 201);
  });

  app.post('/dial-tasks/import', requireRole('supervisor'), async (c) => {
    const body = await parseBody(c, dialTaskImportSchema);
    const viewer = await viewerOf(c, deps);
    const zone = requestTimeZone(body.timeZone, viewer.user.timeZone);
    const { rows, error } = parseCsv(body.csv);
    const fail = (message: string, errors: DialTaskImportRowError[], count: number) =>
      new ApiError(400, errorCodes.validation, message, { rows: count, errors });
    if (error) throw fail(`csv: ${error}`, [{ line: 0, field: 'csv', message: error }], 0);
    const [header, ...data] = rows;
    if (!header || header.length === 0)
      throw fail(
        'csv: The first line must be a header',
        [{ line: 1, field: 'header', message: 'The first line must be a header' }],
        0,
      );
    const mapped = mapHeader(header);
    if (mapped.errors.length) {
      throw fail(
        `csv: ${mapped.errors[0]}`,
        mapped.errors.map((m) => ({ line: 1, field: 'header', message: m })),
        0,
      );
    }
    const lines = data
      .map((cells, i) => ({ line: i + 2, cells }))
      .filter((r) => r.cells.some((v) => v.trim() !== ''));
    if (lines.length === 0)
      throw fail(
        'csv: The file has a header but no rows',
        [{ line: 2, field: 'csv', message: 'No rows to import' }],
        0,
      );
    if (lines.length > maxImportRows)
      throw fail(
        `csv: At most ${maxImportRows} rows per import`,
        [{ line: 0, field: 'csv', message: `At most ${maxImportRows} rows per import` }],
        lines.length,
      );

    // A big file is checked and written in slices with a turn of the event loop between them, and
    // the importer hears how far it has got.
    const progress = (phase: 'checking' | 'writing', done: number) =>
      deps.events.publish(
        { type: 'dial_task_import', phase, done, total: lines.length, at: Date.now() },
        { userIds: [viewer.user.id] },
      );
    const checking = importSlicer((done) => progress('checking', done));
    const errors: DialTaskImportRowError[] = [];
    const values: TaskValues[] = [];
    for (const [index, { line, cells }] of lines.entries()) {
      await checking(index);
      const get = (col: string) => {
        const i = mapped.columns.indexOf(col as never);
        return i < 0 ? '' : (cells[i] ?? '').trim();
      };
      const rowErrors: Problem[] = [];
      const attempt = async <T>(fn: () => Promise<T> | T): Promise<T | null> => {
        try {
          return await fn();
        } catch (err) {
          if (err instanceof RowProblem) rowErrors.push(err.problem);
          else if (err instanceof ApiError && err.details) {
            const f = (err.details as { fields?: Problem[] }).fields?.[0];
            if (f) rowErrors.push(f);
            else throw err;
          } else throw err;
          return null;
        }
      };
      const customerText = get('customer');
      let customerId: number | null = null;
      if (customerText) {
        if (!/^\d+$/.test(customerText))
          rowErrors.push({ field: 'customer_id', message: `"${customerText}" is not a customer ID` });
        else customerId = Number(customerText);
      }
      const target =
        rowErrors.length === 0
          ? await attempt(async () => {
              try {
                return await resolveTarget({ customerId, number: get('number') });
              } catch (err) {
                if (err instanceof RowProblem && err.problem.field === 'customerId') {
                  throw new RowProblem({ field: 'customer_id', message: err.problem.message });
                }
                throw err;
              }
            })
          : null;
      const required = async <T>(
        column: 'agent' | 'start' | 'end',
        missing: string,
        read: (text: string) => Promise<T> | T,
      ): Promise<T | null> => {
        const text = get(column);
        if (text) return attempt(() => read(text));
        rowErrors.push({ field: column, message: missing });
        return null;
      };
      const assigned = await required('agent', 'Enter the agent (name or agent ID)', (t) =>
        findAgent(t, 'agent'),
      );
      const start = await required(
        'start',
        'Enter the start date',
        (t) => parseDateField('start', t, zone).utcMs,
      );
      const end = await required('end', 'Enter the end date', (t) => parseEnd('end', t, zone));
      if (start !== null && end !== null && end < start)
        rowErrors.push({ field: 'end', message: 'The end date is before the start date' });
      const note = get('note');
      if (note.length > 2000)
        rowErrors.push({ field: 'note', message: 'The note is at most 2000 characters' });
      if (rowErrors.length) {
        for (const p of rowErrors) errors.push({ line, ...p });
        continue;
      }
      values.push({
        ...target!,
        assigned_user_id: assigned!,
        start_at: start!,
        end_at: end!,
        note: note || null,
      });
    }
    if (errors.length) {
      const badLines = new Set(errors.map((e) => e.line)).size;
      throw fail(
        `csv: ${badLines} of ${lines.length} rows have errors; nothing was imported`,
        errors,
        lines.length,
      );
    }
    progress('checking', lines.length);
    await db.transaction().execute(async (tx) => {
      const now = Date.now();
      const writing = importSlicer((done) => progress('writing', done));
      for (let i = 0; i < values.length; i += IMPORT_WRITE_ROWS) {
        await writing(i);
        const chunk = values.slice(i, i + IMPORT_WRITE_ROWS);
        const ids = await tx
          .insertInto('dial_tasks')
          .values(
            chunk.map((v) => ({
              ...v,
              created_by_user_id: viewer.user.id,
              created_at: now,
              updated_at: now,
            })),
          )
          .returning('id')
          .execute();
        for (const [j, r] of ids.entries()) {
          await recordAudit(
            tx,
            {
              actor: { kind: 'user', id: viewer.user.id },
              action: 'import',
              entity: 'dial_task',
              entityId: r.id,
              after: chunk[j],
            },
            now,
          );
        }
      }
    });
    progress('writing', values.length);
    return c.json({ created: values.length }, 201);
  });

  app.get('/dial-tasks/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    await findVisibleTask(viewer, id);
    const [task] = await loadTasks(db, viewer, [id]);
    return c.json({ task: task! });
  });

  app.patch('/dial-tasks/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const body = await parseBody(c, dialTaskUpdateSchema);
    const viewer = await viewerOf(c, deps);
    const before = await findVisibleTask(viewer, id);
    const otherFields = Object.keys(body).filter(
      (k) => k !== 'result' && body[k as keyof typeof body] !== undefined,
    );
    if (!viewer.seesAll && otherFields.length) {
      throw ApiError.forbidden(
        'Agents may change only the result of a task; ask a supervisor for other changes',
      );
    }
    const update: Partial<TaskValues> & { result?: DialTaskResult } = {};
    if (body.result !== undefined) update.result = body.result;
    if (viewer.seesAll) {
      const zone = requestTimeZone(body.timeZone, viewer.user.timeZone);
      if (body.customerId !== undefined || body.number !== undefined || body.phoneId !== undefined) {
        const target = await asFieldError(() =>
          resolveTarget({
            customerId: body.customerId === undefined ? before.customer_id : body.customerId,
            phoneId: body.phoneId,
            number: body.number === undefined && body.customerId === undefined ? before.number : body.number,
          }),
        );
        Object.assign(update, target);
      }
      if (body.assignedUserId !== undefined)
        update.assigned_user_id = await asFieldError(() => findAgent(body.assignedUserId!, 'assignedUserId'));
      if (body.startAt !== undefined) update.start_at = parseDateField('startAt', body.startAt, zone).utcMs;
      if (body.endAt !== undefined) update.end_at = parseEnd('endAt', body.endAt, zone);
      if ((update.end_at ?? before.end_at) < (update.start_at ?? before.start_at))
        throw fieldError('endAt', 'The end date is before the start date');
      if (body.note !== undefined) update.note = body.note;
    }
    const changedKeys = (Object.keys(update) as (keyof typeof update)[]).filter(
      (k) => update[k] !== before[k],
    );
    if (changedKeys.length) {
      const now = Date.now();
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('dial_tasks')
          .set({ ...update, updated_at: now })
          .where('id', '=', id)
          .execute();
        await recordAudit(
          tx,
          {
            actor: { kind: 'user', id: viewer.user.id },
            action: changedKeys.length === 1 && changedKeys[0] === 'result' ? 'result' : 'update',
            entity: 'dial_task',
            entityId: id,
            before: Object.fromEntries(changedKeys.map((k) => [k, before[k]])),
            after: Object.fromEntries(changedKeys.map((k) => [k, update[k]])),
          },
          now,
        );
      });
    }
    const [task] = await loadTasks(db, viewer, [id]);
    return c.json({ task: task! });
  });

  app.delete('/dial-tasks/:id', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    const before = await findVisibleTask(viewer, id);
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('dial_tasks').where('id', '=', id).execute();
      await recordAudit(tx, {
        actor: { kind: 'user', id: viewer.user.id },
        action: 'delete',
        entity: 'dial_task',
        entityId: id,
        before,
      });
    });
    return c.body(null, 204);
  });

  app.get('/dial-tasks/:id/history', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    const rows = await db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_id')
      .select([
        'audit_log.at',
        'audit_log.action',
        'audit_log.before',
        'audit_log.after',
        'users.display_name',
      ])
      .where('audit_log.entity', '=', 'dial_task')
      .where('audit_log.entity_id', '=', String(id))
      .orderBy('audit_log.at', 'asc')
      .orderBy('audit_log.id', 'asc')
      .execute();
    if (rows.length === 0) await findVisibleTask(viewer, id);
    const fieldNames: Record<string, string> = {
      result: 'result',
      number: 'number',
      customer_id: 'customerId',
      assigned_user_id: 'assignedUserId',
      start_at: 'startAt',
      end_at: 'endAt',
      note: 'note',
    };
    const history: DialTaskHistoryEntry[] = rows.map((r) => {
      const before = r.before ? (JSON.parse(r.before) as Record<string, unknown>) : {};
      const after = r.after ? (JSON.parse(r.after) as Record<string, unknown>) : {};
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
        (k) => k in fieldNames,
      );
      const show = (k: string, v: unknown) =>
        k === 'number' && typeof v === 'string' ? viewer.mask(v) : (v ?? null);
      return {
        at: r.at,
        action: r.action,
        actor: r.display_name ?? null,
        changes: keys.map((k) => ({
          field: fieldNames[k]!,
          from: show(k, before[k]),
          to: show(k, after[k]),
        })),
      };
    });
    return c.json({ history });
  });

  return app;
}
