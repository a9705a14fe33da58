import {
  type CallbackPlan,
  callbackPlanCreateSchema,
  callbackPlanListQuerySchema,
  callbackPlanUpdateSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { fieldError, parseDateField, requestTimeZone } from '../http/date-input';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { type Viewer, viewerOf } from '../http/viewer';
import { CALLBACK_PLAN_JOB, syncPlanDial } from './callback-dialing';

export const idParams = z.object({
  id: z.coerce.number().int('id must be a whole number').positive('id must be positive'),
});
/** A due time this far in the past is a mistake, not a plan. */
const pastGraceMs = 5 * 60_000;

function planQuery(db: Db) {
  return db
    .selectFrom('callback_plans')
    .innerJoin('users', 'users.id', 'callback_plans.owner_user_id')
    .leftJoin('customers', 'customers.id', 'callback_plans.customer_id')
    .leftJoin('customer_phones', 'customer_phones.id', 'callback_plans.phone_id');
}

const planColumns = [
  'callback_plans.id',
  'callback_plans.customer_id',
  'customers.name as customer_name',
  'callback_plans.phone_id',
  'customer_phones.number as phone_number',
  'callback_plans.number',
  'callback_plans.owner_user_id',
  'users.display_name as owner_name',
  'callback_plans.due_at',
  'callback_plans.note',
  'callback_plans.status',
  'callback_plans.mode',
  'callback_plans.queue_id',
  'callback_plans.created_at',
  'callback_plans.updated_at',
] as const;

async function loadPlans(db: Db, viewer: Viewer, ids: number[]): Promise<CallbackPlan[]> {
  if (!ids.length) return [];
  const rows = await planQuery(db).select(planColumns).where('callback_plans.id', 'in', ids).execute();
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
        phoneId: r.phone_id,
        number: viewer.maskNullable(r.phone_number ?? r.number),
        owner: { id: r.owner_user_id, displayName: r.owner_name },
        dueAt: r.due_at,
        note: r.note,
        status: r.status,
        mode: r.mode,
        queueId: r.queue_id,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      },
    ];
  });
}

/** Callback plans: an agent's own; a supervisor's view of everyone's. */
export function callbackPlansApi(deps: AppDeps) {
  const { db, callbackPlans: scheduler } = deps;
  const app = new Hono<AppEnv>();
  app.use('/callback-plans', requireRole('agent'));
  app.use('/callback-plans/*', requireRole('agent'));
  const poke = () => {
    deps.dialer.poke();
    return scheduler.poke().catch((err) => deps.logger.warn({ err }, 'scheduler poke failed'));
  };

  async function findVisiblePlan(viewer: Viewer, id: number) {
    let q = db.selectFrom('callback_plans').selectAll().where('id', '=', id);
    if (!viewer.seesAll) q = q.where('owner_user_id', '=', viewer.user.id);
    const row = await q.executeTakeFirst();
    if (!row) throw ApiError.notFound('No such callback plan');
    return row;
  }

  async function checkPhoneOfCustomer(viewer: Viewer, customerId: number, phoneId: number) {
    let q = db
      .selectFrom('customers')
      .innerJoin('customer_phones', 'customer_phones.customer_id', 'customers.id')
      .select(['customers.id', 'customer_phones.number'])
      .where('customers.id', '=', customerId)
      .where('customer_phones.id', '=', phoneId);
    if (!viewer.seesAll) q = q.where('customers.owner_user_id', '=', viewer.user.id);
    const row = await q.executeTakeFirst();
    if (row) return row;
    const customer = await (viewer.seesAll
      ? db.selectFrom('customers').select('id').where('id', '=', customerId)
      : db
          .selectFrom('customers')
          .select('id')
          .where('id', '=', customerId)
          .where('owner_user_id', '=', viewer.user.id)
    ).executeTakeFirst();
    if (!customer) throw fieldError('customerId', 'No such customer');
    throw fieldError('phoneId', 'This number is not one of the customer’s');
  }

  /** An agent or supervisor who can own a plan. */
  async function checkOwner(userId: number): Promise<number> {
    const owner = await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', userId)
      .where('role', 'in', ['agent', 'supervisor'])
      .where('disabled', '=', 0)
      .executeTakeFirst();
    if (!owner) throw fieldError('ownerUserId', 'No such agent');
    return owner.id;
  }

  async function checkQueue(queueId: number | null | undefined) {
    if (queueId === undefined || queueId === null) return;
    const q = await db.selectFrom('queues').select('id').where('id', '=', queueId).executeTakeFirst();
    if (!q) throw fieldError('queueId', 'No such queue');
  }

  app.get('/callback-plans', async (c) => {
    const query = parseQuery(c, callbackPlanListQuerySchema);
    const viewer = await viewerOf(c, deps);
    if (!viewer.seesAll && query.owner !== undefined && query.owner !== viewer.user.id) {
      throw ApiError.forbidden('Agents see only their own callback plans');
    }
    const zone = requestTimeZone(query.timeZone, viewer.user.timeZone);
    let base = db.selectFrom('callback_plans');
    const owner = viewer.seesAll ? query.owner : viewer.user.id;
    if (owner !== undefined) base = base.where('owner_user_id', '=', owner);
    if (query.status) base = base.where('status', 'in', query.status);
    if (query.customerId !== undefined) base = base.where('customer_id', '=', query.customerId);
    if (query.from) base = base.where('due_at', '>=', parseDateField('from', query.from, zone).utcMs);
    if (query.to) {
      const to = parseDateField('to', query.to, zone);
      // a date alone means up to the end of that day
      base = base.where('due_at', to.dateOnly ? '<' : '<=', to.dateOnly ? to.utcMs + 86_400_000 : to.utcMs);
    }
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const ids = await base
      .select('id')
      .orderBy('due_at', 'asc')
      .orderBy('id', 'asc')
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute();
    return c.json({
      plans: await loadPlans(
        db,
        viewer,
        ids.map((r) => r.id),
      ),
      total: Number(total.n),
      page: query.page,
      limit: query.limit,
    });
  });

  app.get('/callback-plans/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    await findVisiblePlan(viewer, id);
    const [plan] = await loadPlans(db, viewer, [id]);
    const attempts = await deps.dialer.jobs.attemptsOf(CALLBACK_PLAN_JOB, id);
    return c.json({
      plan: {
        ...plan!,
        attempts: attempts.map((a) => ({ at: a.at, outcome: a.outcome, callId: a.call_id })),
      },
    });
  });

  app.post('/callback-plans', async (c) => {
    const body = await parseBody(c, callbackPlanCreateSchema);
    const viewer = await viewerOf(c, deps);
    const zone = requestTimeZone(body.timeZone, viewer.user.timeZone);
    const due = parseDateField('dueAt', body.dueAt, zone);
    const now = Date.now();
    if (due.utcMs < now - pastGraceMs) throw fieldError('dueAt', 'The due time is in the past');
    let ownerId = viewer.user.id;
    if (body.ownerUserId !== undefined && body.ownerUserId !== viewer.user.id) {
      if (!viewer.seesAll) throw ApiError.forbidden('Agents plan callbacks for themselves only');
      ownerId = await checkOwner(body.ownerUserId);
    }
    const phone = await checkPhoneOfCustomer(viewer, body.customerId, body.phoneId);
    await checkQueue(body.queueId);
    const id = await db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('callback_plans')
        .values({
          customer_id: body.customerId,
          phone_id: body.phoneId,
          number: phone.number,
          owner_user_id: ownerId,
          due_at: due.utcMs,
          note: body.note ?? null,
          status: due.utcMs <= now ? 'due' : 'scheduled',
          mode: body.mode,
          queue_id: body.queueId ?? null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await syncPlanDial(deps.dialer, tx, row.id, now);
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: viewer.user.id },
          action: 'create',
          entity: 'callback_plan',
          entityId: row.id,
          after: {
            customerId: body.customerId,
            phoneId: body.phoneId,
            ownerUserId: ownerId,
            dueAt: due.utcMs,
            mode: body.mode,
            queueId: body.queueId ?? null,
          },
        },
        now,
      );
      return row.id;
    });
    await poke();
    const [plan] = await loadPlans(db, viewer, [id]);
    return c.json({ plan: plan! }, 201);
  });

  app.patch('/callback-plans/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const body = await parseBody(c, callbackPlanUpdateSchema);
    const viewer = await viewerOf(c, deps);
    const before = await findVisiblePlan(viewer, id);
    if (before.status === 'done' || before.status === 'cancelled') {
      throw ApiError.conflict(`This callback plan is ${before.status} and can no longer be changed`);
    }
    const now = Date.now();
    const update: {
      phone_id?: number;
      number?: string;
      due_at?: number;
      note?: string | null;
      status?: CallbackPlan['status'];
      mode?: CallbackPlan['mode'];
      queue_id?: number | null;
      owner_user_id?: number;
      updated_at: number;
    } = { updated_at: now };
    if (body.ownerUserId !== undefined && body.ownerUserId !== before.owner_user_id) {
      if (!viewer.seesAll) throw ApiError.forbidden('Only supervisors reassign callback plans');
      update.owner_user_id = await checkOwner(body.ownerUserId);
    }
    if (body.mode !== undefined) update.mode = body.mode;
    if (body.queueId !== undefined) {
      await checkQueue(body.queueId);
      update.queue_id = body.queueId;
    }
    if (body.phoneId !== undefined) {
      if (before.customer_id === null) throw fieldError('phoneId', 'This plan has no customer');
      const phone = await checkPhoneOfCustomer(viewer, before.customer_id, body.phoneId);
      update.phone_id = body.phoneId;
      update.number = phone.number;
    }
    if (body.dueAt !== undefined) {
      const zone = requestTimeZone(body.timeZone, viewer.user.timeZone);
      const due = parseDateField('dueAt', body.dueAt, zone);
      if (due.utcMs < now - pastGraceMs) throw fieldError('dueAt', 'The due time is in the past');
      update.due_at = due.utcMs;
      update.status = due.utcMs <= now ? 'due' : 'scheduled';
    }
    if (body.note !== undefined) update.note = body.note;
    if (body.status !== undefined) update.status = body.status;
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('callback_plans').set(update).where('id', '=', id).execute();
      await syncPlanDial(deps.dialer, tx, id, now);
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: viewer.user.id },
          action:
            body.status === 'done'
              ? 'done'
              : body.status === 'cancelled'
                ? 'cancel'
                : update.owner_user_id !== undefined
                  ? 'reassign'
                  : 'update',
          entity: 'callback_plan',
          entityId: id,
          before: {
            status: before.status,
            dueAt: before.due_at,
            note: before.note,
            phoneId: before.phone_id,
            mode: before.mode,
            queueId: before.queue_id,
            ownerUserId: before.owner_user_id,
          },
          after: update,
        },
        now,
      );
    });
    await poke();
    const [plan] = await loadPlans(db, viewer, [id]);
    return c.json({ plan: plan! });
  });

  return app;
}
