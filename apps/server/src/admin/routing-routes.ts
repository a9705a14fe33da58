import {
  idParamSchema,
  inboundRouteInputSchema,
  pauseReasonInputSchema,
  pauseReasonUpdateSchema,
  queueInputSchema,
  queueMemberUpdateSchema,
  queueUpdateSchema,
  type Trunk,
  trunkInputSchema,
  trunkUpdateSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Updateable } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/database';
import type { QueuesTable, TrunksTable } from '../db/schema';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams } from '../http/validate';
import { musicPrompts, promptCatalogue } from '../queues/hold-music';
import { audit, isUniqueViolation } from './admin-helpers';

export const memberParams = z.object({
  id: idParamSchema.shape.id,
  userId: idParamSchema.shape.id,
});

function conflictOnUnique(what: string) {
  return (err: unknown): never => {
    if (isUniqueViolation(err)) throw ApiError.conflict(`${what} already exists`);
    throw err;
  };
}

function trunkOut(t: {
  id: number;
  name: string;
  uri: string;
  username: string | null;
  password: string | null;
  transport: TrunksTable['transport']['__select__'];
  register: number;
  enabled: number;
  caller_id: string | null;
  inbound_addresses?: string | null;
}): Trunk {
  let inboundAddresses: string[] = [];
  try {
    const parsed: unknown = t.inbound_addresses ? JSON.parse(t.inbound_addresses) : [];
    if (Array.isArray(parsed)) inboundAddresses = parsed.filter((a) => typeof a === 'string');
  } catch {
    // An unreadable value is shown as none; the switch logs it.
  }
  return {
    id: t.id,
    name: t.name,
    uri: t.uri,
    username: t.username,
    hasPassword: !!t.password,
    transport: t.transport,
    register: t.register === 1,
    enabled: t.enabled === 1,
    callerId: t.caller_id,
    inboundAddresses,
  };
}

async function assertRouteTarget(db: Db, type: string, target: string) {
  const bad = (message: string) =>
    ApiError.badRequest(`targetId: ${message}`, { fields: [{ field: 'targetId', message }] });
  if (type === 'queue') {
    const id = Number(target);
    if (!Number.isInteger(id) || id < 1) throw bad('Choose a queue');
    const q = await db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst();
    if (!q) throw bad('No such queue');
  } else if (type === 'extension') {
    const e = await db.selectFrom('extensions').select('id').where('number', '=', target).executeTakeFirst();
    if (!e) throw bad('No such extension');
  } else if (type === 'flow') {
    const id = Number(target);
    if (!Number.isInteger(id) || id < 1) throw bad('Choose a call flow');
    const f = await db
      .selectFrom('call_flows')
      .select('published_version')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!f) throw bad('No such call flow');
    if (f.published_version === null) throw bad('Publish the call flow before routing a number to it');
  } else {
    const id = Number(target);
    if (!Number.isInteger(id) || id < 1) throw bad('Choose a callback service');
    const s = await db.selectFrom('callback_services').select('id').where('id', '=', id).executeTakeFirst();
    if (!s) throw bad('No such callback service');
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Why queue `id` cannot go: calls waiting in it and everything that routes calls or work to it. */
async function queueInUse(db: Db, id: number, waiting: number): Promise<string[]> {
  const reasons: string[] = [];
  if (waiting > 0) reasons.push(`${plural(waiting, 'call is', 'calls are')} waiting in it`);
  const routes = await db
    .selectFrom('inbound_routes')
    .select('number')
    .where('target_type', '=', 'queue')
    .where('target_id', '=', String(id))
    .orderBy('number')
    .execute();
  if (routes.length)
    reasons.push(`inbound routes send calls to it (${routes.map((r) => r.number).join(', ')})`);
  const overflowing = await db
    .selectFrom('queues')
    .select('name')
    .where('overflow_type', '=', 'queue')
    .where('overflow_target', '=', String(id))
    .orderBy('name')
    .execute();
  if (overflowing.length)
    reasons.push(`queues overflow into it (${overflowing.map((q) => q.name).join(', ')})`);
  // A flow's draft and its published version are both checked: either may be put live.
  const flows = await db
    .selectFrom('call_flows')
    .leftJoin('call_flow_versions', (j) =>
      j
        .onRef('call_flow_versions.flow_id', '=', 'call_flows.id')
        .onRef('call_flow_versions.version', '=', 'call_flows.published_version'),
    )
    .select(['call_flows.name', 'call_flows.draft', 'call_flow_versions.definition'])
    .orderBy('call_flows.name')
    .execute();
  const flowNames = flows
    .filter((f) => flowUsesQueue(f.draft, id) || (f.definition !== null && flowUsesQueue(f.definition, id)))
    .map((f) => f.name);
  if (flowNames.length) reasons.push(`call flows send calls to it (${flowNames.join(', ')})`);
  const plans = await db
    .selectFrom('callback_plans')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('queue_id', '=', id)
    .where('status', 'in', ['scheduled', 'due'])
    .executeTakeFirstOrThrow();
  const openPlans = Number(plans.n);
  if (openPlans > 0)
    reasons.push(`${plural(openPlans, 'open callback plan is', 'open callback plans are')} for it`);
  return reasons;
}

function flowUsesQueue(definitionJson: string, queueId: number): boolean {
  try {
    const d = JSON.parse(definitionJson) as {
      components?: { type?: string; settings?: { queueId?: unknown } }[];
    };
    return (d.components ?? []).some((c) => c.type === 'queue' && c.settings?.queueId === queueId);
  } catch {
    return false;
  }
}

const fieldError = (field: string, message: string) =>
  ApiError.badRequest(`${field}: ${message}`, { fields: [{ field, message }] });

type QueueUpdate = z.infer<typeof queueUpdateSchema>;
type Overflow = NonNullable<QueueUpdate['overflow']>;

/**
 * Overflow targets must exist when saved: a queue (never the queue itself, which would loop the
 * caller back into the line they gave up on) or an extension; hang-up and none take no target.
 */
async function assertOverflow(db: Db, overflow: Overflow, queueId: number | null) {
  const target = overflow.target ?? null;
  if (overflow.type === 'queue') {
    const id = Number(target);
    if (!target || !/^\d+$/.test(target) || id < 1) throw fieldError('overflow.target', 'Choose a queue');
    if (id === queueId) throw fieldError('overflow.target', 'A queue cannot overflow into itself');
    const q = await db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst();
    if (!q) throw fieldError('overflow.target', 'No such queue');
  } else if (overflow.type === 'extension') {
    if (!target) throw fieldError('overflow.target', 'Choose an extension');
    const e = await db.selectFrom('extensions').select('id').where('number', '=', target).executeTakeFirst();
    if (!e) throw fieldError('overflow.target', 'No such extension');
  } else if (target !== null) {
    throw fieldError('overflow.target', 'Hang up and none take no target');
  }
}

function assertHoldMusic(name: string | null) {
  if (name === null) return;
  const known = musicPrompts(promptCatalogue());
  if (!known.includes(name))
    throw fieldError('holdMusic', `No such music; choose one of ${known.join(', ')}`);
}

/** The queue settings the API takes, as columns (only those present). */
function queueColumns(input: QueueUpdate) {
  const cols: Updateable<QueuesTable> = {};
  if (input.name !== undefined) cols.name = input.name;
  if (input.strategy !== undefined) cols.strategy = input.strategy;
  if (input.ringTimeoutS !== undefined) cols.ring_timeout_s = input.ringTimeoutS;
  if (input.retryDelayS !== undefined) cols.retry_delay_s = input.retryDelayS;
  if (input.wrapupS !== undefined) cols.wrapup_s = input.wrapupS;
  if (input.maxNoAnswer !== undefined) cols.max_no_answer = input.maxNoAnswer;
  if (input.maxWaitS !== undefined) cols.max_wait_s = input.maxWaitS;
  if (input.maxLength !== undefined) cols.max_length = input.maxLength;
  if (input.overflow !== undefined) {
    cols.overflow_type = input.overflow.type;
    cols.overflow_target =
      input.overflow.type === 'hangup' || !input.overflow.type ? null : input.overflow.target;
  }
  if (input.holdMusic !== undefined) cols.hold_music = input.holdMusic;
  if (input.announceIntervalS !== undefined) cols.announce_interval_s = input.announceIntervalS;
  if (input.serviceLevelS !== undefined) cols.service_level_s = input.serviceLevelS;
  if (input.serviceLevelTargetPercent !== undefined)
    cols.service_level_target = input.serviceLevelTargetPercent;
  if (input.callerId !== undefined) cols.caller_id = input.callerId;
  if (input.virtualHold !== undefined) {
    const v = input.virtualHold;
    cols.virtual_hold = v.enabled ? 1 : 0;
    cols.virtual_hold_threshold_s = v.thresholdS;
    cols.virtual_hold_mode = v.mode;
    cols.virtual_hold_max_attempts = v.maxAttempts;
    cols.virtual_hold_retry_s = v.retryDelayS;
  }
  return cols;
}

/** Queues and memberships, pause reasons, inbound routes and trunks (admin). */
export function routingRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  for (const p of ['/admin/queues', '/admin/pause-reasons', '/admin/inbound-routes', '/admin/trunks']) {
    app.use(p, requireRole('admin'));
    app.use(`${p}/*`, requireRole('admin'));
  }

  // Queues -----------------------------------------------------------------------------------------
  app.get('/admin/queues', async (c) => {
    const queues = await db.selectFrom('queues').selectAll().orderBy('name').execute();
    const members = await db
      .selectFrom('queue_members')
      .innerJoin('users', 'users.id', 'queue_members.user_id')
      .select([
        'queue_members.queue_id',
        'queue_members.user_id',
        'queue_members.penalty',
        'queue_members.paused',
        'users.display_name',
        'users.username',
        'users.role',
      ])
      .orderBy('users.display_name')
      .execute();
    return c.json({
      queues: queues.map((q) => ({
        id: q.id,
        name: q.name,
        strategy: q.strategy,
        ringTimeoutS: q.ring_timeout_s,
        retryDelayS: q.retry_delay_s,
        wrapupS: q.wrapup_s,
        maxNoAnswer: q.max_no_answer,
        maxWaitS: q.max_wait_s,
        maxLength: q.max_length,
        overflow: { type: q.overflow_type, target: q.overflow_target },
        holdMusic: q.hold_music,
        announceIntervalS: q.announce_interval_s,
        serviceLevelS: q.service_level_s,
        serviceLevelTargetPercent: q.service_level_target,
        callerId: q.caller_id,
        virtualHold: {
          enabled: q.virtual_hold === 1,
          thresholdS: q.virtual_hold_threshold_s,
          mode: q.virtual_hold_mode,
          maxAttempts: q.virtual_hold_max_attempts,
          retryDelayS: q.virtual_hold_retry_s,
        },
        members: members
          .filter((m) => m.queue_id === q.id)
          .map((m) => ({
            userId: m.user_id,
            displayName: m.display_name,
            username: m.username,
            role: m.role,
            penalty: m.penalty,
            paused: m.paused === 1,
          })),
      })),
      /** What holdMusic may name (null plays the default, `hold-music`). */
      holdMusic: musicPrompts(promptCatalogue()),
    });
  });

  // Queue settings and members feed the ACD and agent state: re-read them after a successful change.
  const reloadAcd = createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.res.status < 300)
      await Promise.all([deps.agents.reload(), deps.queues.reload()]);
  });
  app.use('/admin/queues', reloadAcd);
  app.use('/admin/queues/*', reloadAcd);

  app.post('/admin/queues', async (c) => {
    const input = await parseBody(c, queueInputSchema);
    await assertOverflow(db, input.overflow, null);
    assertHoldMusic(input.holdMusic);
    const row = await db
      .insertInto('queues')
      .values({ ...queueColumns(input), name: input.name, created_at: Date.now() })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A queue named ${input.name}`));
    await audit(db, c, { action: 'queue.create', entity: 'queue', entityId: row.id, after: input });
    return c.json({ id: row.id }, 201);
  });

  app.patch('/admin/queues/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, queueUpdateSchema);
    const before = await db.selectFrom('queues').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw ApiError.notFound('No such queue');
    if (input.overflow !== undefined) await assertOverflow(db, input.overflow, id);
    if (input.holdMusic !== undefined) assertHoldMusic(input.holdMusic);
    const cols = queueColumns(input);
    if (Object.keys(cols).length === 0) return c.json({ id });
    await db
      .updateTable('queues')
      .set(cols)
      .where('id', '=', id)
      .execute()
      .catch(conflictOnUnique(`A queue named ${input.name}`));
    await audit(db, c, { action: 'queue.update', entity: 'queue', entityId: id, before, after: input });
    return c.json({ id });
  });

  /**
   * Delete a queue, unless something still sends calls to it: 409 with every reason, so the admin
   * knows what to change first (docs/admin.md, "Deleting a queue").
   */
  app.delete('/admin/queues/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const before = await db.selectFrom('queues').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw ApiError.notFound('No such queue');
    const reasons = await queueInUse(db, id, deps.queues.waitingCount(id));
    if (reasons.length > 0) {
      throw ApiError.conflict(`${before.name} cannot be deleted: ${reasons.join('; ')}`, { reasons });
    }
    await db.deleteFrom('queues').where('id', '=', id).execute();
    await audit(db, c, { action: 'queue.delete', entity: 'queue', entityId: id, before });
    return c.body(null, 204);
  });

  /** Add a member or change their penalty. */
  app.put('/admin/queues/:id/members/:userId', async (c) => {
    const { id, userId } = parseParams(c, memberParams);
    const q = await db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst();
    if (!q) throw ApiError.notFound('No such queue');
    const u = await db.selectFrom('users').select(['id', 'role']).where('id', '=', userId).executeTakeFirst();
    if (!u) throw ApiError.notFound('No such user');
    if (u.role === 'admin') throw ApiError.badRequest('userId: Administrators do not take queue calls');
    const { penalty } = await parseBody(c, queueMemberUpdateSchema);
    const before = await db
      .selectFrom('queue_members')
      .selectAll()
      .where('queue_id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    await db
      .insertInto('queue_members')
      .values({ queue_id: id, user_id: userId, penalty })
      .onConflict((oc) => oc.columns(['queue_id', 'user_id']).doUpdateSet({ penalty }))
      .execute();
    await audit(db, c, {
      action: before ? 'queue_member.update' : 'queue_member.add',
      entity: 'queue',
      entityId: id,
      before: before ? { userId, penalty: before.penalty } : undefined,
      after: { userId, penalty },
    });
    return c.json({ queueId: id, userId, penalty });
  });

  app.delete('/admin/queues/:id/members/:userId', async (c) => {
    const { id, userId } = parseParams(c, memberParams);
    const res = await db
      .deleteFrom('queue_members')
      .where('queue_id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw ApiError.notFound('No such member');
    await audit(db, c, { action: 'queue_member.remove', entity: 'queue', entityId: id, before: { userId } });
    return c.body(null, 204);
  });

  // Pause reasons ----------------------------------------------------------------------------------
  app.get('/admin/pause-reasons', async (c) => {
    const rows = await db
      .selectFrom('pause_reasons')
      .selectAll()
      .orderBy('sort_order')
      .orderBy('name')
      .execute();
    return c.json({
      pauseReasons: rows.map((r) => ({
        id: r.id,
        name: r.name,
        active: r.active === 1,
        sortOrder: r.sort_order,
      })),
    });
  });
  app.post('/admin/pause-reasons', async (c) => {
    const input = await parseBody(c, pauseReasonInputSchema);
    const row = await db
      .insertInto('pause_reasons')
      .values({ name: input.name, active: input.active ? 1 : 0, sort_order: input.sortOrder })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A pause reason named ${input.name}`));
    await audit(db, c, {
      action: 'pause_reason.create',
      entity: 'pause_reason',
      entityId: row.id,
      after: input,
    });
    return c.json({ id: row.id }, 201);
  });
  app.patch('/admin/pause-reasons/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, pauseReasonUpdateSchema);
    const before = await db.selectFrom('pause_reasons').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw ApiError.notFound('No such pause reason');
    await db
      .updateTable('pause_reasons')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
        ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
      })
      .where('id', '=', id)
      .execute()
      .catch(conflictOnUnique(`A pause reason named ${input.name}`));
    await audit(db, c, {
      action: 'pause_reason.update',
      entity: 'pause_reason',
      entityId: id,
      before,
      after: input,
    });
    return c.json({ id });
  });

  // Inbound routes ---------------------------------------------------------------------------------
  app.get('/admin/inbound-routes', async (c) => {
    const rows = await db.selectFrom('inbound_routes').selectAll().orderBy('number').execute();
    return c.json({
      inboundRoutes: rows.map((r) => ({
        id: r.id,
        number: r.number,
        targetType: r.target_type,
        targetId: r.target_id,
      })),
    });
  });
  app.post('/admin/inbound-routes', async (c) => {
    const input = await parseBody(c, inboundRouteInputSchema);
    await assertRouteTarget(db, input.targetType, input.targetId);
    const row = await db
      .insertInto('inbound_routes')
      .values({
        number: input.number,
        target_type: input.targetType,
        target_id: input.targetId,
        created_at: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A route for ${input.number}`));
    await audit(db, c, {
      action: 'inbound_route.create',
      entity: 'inbound_route',
      entityId: row.id,
      after: input,
    });
    return c.json({ id: row.id }, 201);
  });
  app.put('/admin/inbound-routes/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, inboundRouteInputSchema);
    const before = await db.selectFrom('inbound_routes').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw ApiError.notFound('No such inbound route');
    await assertRouteTarget(db, input.targetType, input.targetId);
    await db
      .updateTable('inbound_routes')
      .set({ number: input.number, target_type: input.targetType, target_id: input.targetId })
      .where('id', '=', id)
      .execute()
      .catch(conflictOnUnique(`A route for ${input.number}`));
    await audit(db, c, {
      action: 'inbound_route.update',
      entity: 'inbound_route',
      entityId: id,
      before,
      after: input,
    });
    return c.json({ id });
  });
  app.delete('/admin/inbound-routes/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const before = await db.selectFrom('inbound_routes').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw ApiError.notFound('No such inbound route');
    await db.deleteFrom('inbound_routes').where('id', '=', id).execute();
    await audit(db, c, { action: 'inbound_route.delete', entity: 'inbound_route', entityId: id, before });
    return c.body(null, 204);
  });

  // Trunks: the password is write-only ------------------------------------------------------------
  const trunkColumns = [
    'id',
    'name',
    'uri',
    'username',
    'password',
    'transport',
    'register',
    'enabled',
    'caller_id',
    'inbound_addresses',
  ] as const;
  // The switch's view of each trunk (registration, keep-alive), and a reload after every change.
  const withLive = (t: Trunk): Trunk => ({ ...t, live: deps.trunks.status(t.id) });
  const reloadTrunks = () => deps.trunks.reload();
  app.get('/admin/trunks', async (c) => {
    const rows = await db.selectFrom('trunks').select(trunkColumns).orderBy('name').execute();
    return c.json({ trunks: rows.map(trunkOut).map(withLive) });
  });
  app.post('/admin/trunks', async (c) => {
    const input = await parseBody(c, trunkInputSchema);
    const row = await db
      .insertInto('trunks')
      .values({
        name: input.name,
        uri: input.uri,
        username: input.username,
        password: input.password || null,
        transport: input.transport,
        register: input.register ? 1 : 0,
        enabled: input.enabled ? 1 : 0,
        caller_id: input.callerId,
        inbound_addresses: JSON.stringify(input.inboundAddresses),
        created_at: Date.now(),
      })
      .returning(trunkColumns)
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A trunk named ${input.name}`));
    const out = trunkOut(row);
    await audit(db, c, { action: 'trunk.create', entity: 'trunk', entityId: row.id, after: out });
    await reloadTrunks();
    return c.json(withLive(out), 201);
  });
  app.patch('/admin/trunks/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, trunkUpdateSchema);
    const before = await db.selectFrom('trunks').select(trunkColumns).where('id', '=', id).executeTakeFirst();
    if (!before) throw ApiError.notFound('No such trunk');
    const row = await db
      .updateTable('trunks')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.uri !== undefined ? { uri: input.uri } : {}),
        ...(input.username !== undefined ? { username: input.username } : {}),
        ...(input.password !== undefined ? { password: input.password || null } : {}),
        ...(input.transport !== undefined ? { transport: input.transport } : {}),
        ...(input.register !== undefined ? { register: input.register ? 1 : 0 } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
        ...(input.callerId !== undefined ? { caller_id: input.callerId } : {}),
        ...(input.inboundAddresses !== undefined
          ? { inbound_addresses: JSON.stringify(input.inboundAddresses) }
          : {}),
      })
      .where('id', '=', id)
      .returning(trunkColumns)
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A trunk named ${input.name}`));
    const out = trunkOut(row);
    await audit(db, c, {
      action: 'trunk.update',
      entity: 'trunk',
      entityId: id,
      before: trunkOut(before),
      after: { ...out, passwordChanged: input.password !== undefined },
    });
    await reloadTrunks();
    return c.json(withLive(out));
  });
  app.delete('/admin/trunks/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const before = await db.selectFrom('trunks').select(trunkColumns).where('id', '=', id).executeTakeFirst();
    if (!before) throw ApiError.notFound('No such trunk');
    await db.deleteFrom('trunks').where('id', '=', id).execute();
    await audit(db, c, { action: 'trunk.delete', entity: 'trunk', entityId: id, before: trunkOut(before) });
    await reloadTrunks();
    return c.body(null, 204);
  });

  return app;
}
