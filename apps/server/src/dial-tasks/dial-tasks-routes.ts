import {
  dialTaskCreateSchema,
  dialTaskImportSchema,
  dialTaskListQuerySchema,
  dialTaskUpdateSchema,
  errorCodes,
} from '@switchboard/shared';
import { Hono } from 'hono';
import type { z } from 'zod';
import { importSlicer } from '../csv/import-slicer';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { parseDateField, requestTimeZone } from '../http/date-input';
import type { AppDeps } from '../http/deps';
import { idParams } from '../http/id-params';
import { requireRole } from '../http/middleware/require-role';
import { fieldError, parseBody, parseParams, parseQuery } from '../http/validate';
import { type Viewer, viewerOf } from '../http/viewer';
import { listedUserFor } from '../http/viewer/listed-user';
import { parseEnd, readDialTaskImport } from './dial-task-import';
import { DialTaskStore, RowProblem, type TaskUpdate } from './dial-task-store';

const maxImportRows = 50_000;

type TaskRow = Awaited<ReturnType<DialTaskStore['findVisible']>>;

/** A row problem of a single task as the 400 that names its field. */
export function asFieldError<T>(fn: () => Promise<T>): Promise<T> {
  return fn().catch((err) => {
    if (err instanceof RowProblem) throw fieldError(err.problem.field, err.problem.message);
    throw err;
  });
}

/** Outbound dial tasks: supervisors plan and assign; agents work theirs and set the result. */
export function dialTasksRoutes(deps: AppDeps) {
  const store = new DialTaskStore(deps.db, deps.config.defaultCountry);
  const app = new Hono<AppEnv>();
  app.use('/dial-tasks', requireRole('agent'));
  app.use('/dial-tasks/*', requireRole('agent'));

  app.get('/dial-tasks', async (c) => {
    const query = parseQuery(c, dialTaskListQuerySchema);
    const viewer = await viewerOf(c, deps);
    const assignee = listedUserFor(viewer, query.assignee, 'Agents see only the tasks assigned to them');
    const { tasks, total } = await store.list(viewer, { ...query, assignee });
    return c.json({ tasks, total, page: query.page, limit: query.limit });
  });

  app.post('/dial-tasks', requireRole('supervisor'), async (c) => {
    const body = await parseBody(c, dialTaskCreateSchema);
    const viewer = await viewerOf(c, deps);
    const zone = requestTimeZone(body.timeZone, viewer.user.timeZone);
    const start = parseDateField('startAt', body.startAt, zone).utcMs;
    const end = parseEnd('endAt', body.endAt, zone);
    if (end < start) throw fieldError('endAt', 'The end date is before the start date');
    const target = await asFieldError(() => store.resolveTarget(body));
    const assigned = await asFieldError(() => store.findAgent(body.assignedUserId, 'assignedUserId'));
    const id = await store.create(
      { ...target, assigned_user_id: assigned, start_at: start, end_at: end, note: body.note ?? null },
      viewer.user.id,
    );
    return c.json({ task: await store.loadOne(viewer, id) }, 201);
  });

  app.post('/dial-tasks/import', requireRole('supervisor'), async (c) => {
    const body = await parseBody(c, dialTaskImportSchema);
    const viewer = await viewerOf(c, deps);
    const created = await importTasks(deps, store, viewer, body);
    return c.json({ created }, 201);
  });

  taskRoutes(app, deps, store);
  return app;
}

/**
 * Checks a file of tasks and writes them all, or answers 400 with every row's problems. A big file is
 * checked and written in slices with a turn of the event loop between them, and the importer hears
 * how far it has got. Returns how many tasks were created.
 */
async function importTasks(
  deps: AppDeps,
  store: DialTaskStore,
  viewer: Viewer,
  body: z.infer<typeof dialTaskImportSchema>,
): Promise<number> {
  let total = 0;
  const progress = (phase: 'checking' | 'writing', done: number) =>
    deps.events.publish(
      { type: 'import_progress', kind: 'dial_tasks', phase, done, total, at: Date.now() },
      { userIds: [viewer.user.id] },
    );
  const checking = importSlicer((done) => progress('checking', done));
  const checked = await readDialTaskImport(body.csv, {
    timeZone: requestTimeZone(body.timeZone, viewer.user.timeZone),
    maxRows: maxImportRows,
    delimiter: body.delimiter,
    lookups: store,
    between: (done, rows) => {
      total = rows;
      return checking(done);
    },
  });
  if (!checked.ok)
    throw new ApiError(400, errorCodes.validation, checked.message, {
      rows: checked.rowCount,
      errors: checked.errors,
    });
  progress('checking', total);
  await store.importAll(
    checked.rows,
    viewer.user.id,
    importSlicer((done) => progress('writing', done)),
  );
  progress('writing', checked.rows.length);
  return checked.rows.length;
}

/** One task: read, change (agents only its result), remove, and its history. */
function taskRoutes(app: Hono<AppEnv>, deps: AppDeps, store: DialTaskStore): void {
  app.get('/dial-tasks/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    await store.findVisible(viewer, id);
    return c.json({ task: await store.loadOne(viewer, id) });
  });

  app.patch('/dial-tasks/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const body = await parseBody(c, dialTaskUpdateSchema);
    const viewer = await viewerOf(c, deps);
    const before = await store.findVisible(viewer, id);
    const update = await taskChanges(store, viewer, before, body);
    await store.update(before, update, viewer.user.id);
    if (update.result !== undefined && update.result !== before.result)
      emitResult(deps, viewer, before, update);
    return c.json({ task: await store.loadOne(viewer, id) });
  });

  app.delete('/dial-tasks/:id', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    await store.remove(await store.findVisible(viewer, id), viewer.user.id);
    return c.body(null, 204);
  });

  app.get('/dial-tasks/:id/history', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    return c.json({ history: await store.history(viewer, id) });
  });
}

/** The fields a change sets: an agent only the result (403 for anything else), a supervisor any. */
async function taskChanges(
  store: DialTaskStore,
  viewer: Viewer,
  before: TaskRow,
  body: z.infer<typeof dialTaskUpdateSchema>,
): Promise<TaskUpdate> {
  const otherFields = Object.keys(body).filter(
    (k) => k !== 'result' && body[k as keyof typeof body] !== undefined,
  );
  if (!viewer.seesAll && otherFields.length) {
    throw ApiError.forbidden(
      'Agents may change only the result of a task; ask a supervisor for other changes',
    );
  }
  const update: TaskUpdate = {};
  if (body.result !== undefined) update.result = body.result;
  if (!viewer.seesAll) return update;
  const zone = requestTimeZone(body.timeZone, viewer.user.timeZone);
  if (body.customerId !== undefined || body.number !== undefined || body.phoneId !== undefined) {
    const target = await asFieldError(() =>
      store.resolveTarget({
        customerId: body.customerId === undefined ? before.customer_id : body.customerId,
        phoneId: body.phoneId,
        number: body.number === undefined && body.customerId === undefined ? before.number : body.number,
      }),
    );
    Object.assign(update, target);
  }
  if (body.assignedUserId !== undefined)
    update.assigned_user_id = await asFieldError(() =>
      store.findAgent(body.assignedUserId!, 'assignedUserId'),
    );
  if (body.startAt !== undefined) update.start_at = parseDateField('startAt', body.startAt, zone).utcMs;
  if (body.endAt !== undefined) update.end_at = parseEnd('endAt', body.endAt, zone);
  if ((update.end_at ?? before.end_at) < (update.start_at ?? before.start_at))
    throw fieldError('endAt', 'The end date is before the start date');
  if (body.note !== undefined) update.note = body.note;
  return update;
}

/** Integrations hear of a task's new result; the answer does not wait for the webhook to be queued. */
function emitResult(deps: AppDeps, viewer: Viewer, before: TaskRow, update: TaskUpdate): void {
  const at = Date.now();
  deps.webhooks.deliveries
    .emit('dial_task.result', `dial_task.result:${before.id}:${at}`, () => ({
      task: {
        id: before.id,
        customerId: update.customer_id ?? before.customer_id,
        number: update.number ?? before.number,
        assigneeId: update.assigned_user_id ?? before.assigned_user_id,
        result: update.result,
      },
      by: { id: viewer.user.id, username: viewer.user.username },
      at,
    }))
    .catch((err) => deps.logger.error({ err }, 'the dial-task webhook could not be queued'));
}
