import type { CallbackPlan, CallbackPlanStatus } from '@switchboard/shared';
import { recordAudit } from '../audit/audit-log';
import { visibleCustomers } from '../customers/customer-store';
import type { Db } from '../db/database';
import { inIdOrder, type PageRequest, pageOfIds } from '../db/page-of-ids';
import type { Dialer } from '../dialer/dialer';
import { ApiError } from '../http/api-error';
import type { Viewer } from '../http/viewer';
import { findDeskUserId } from '../users/desk-users';
import { CALLBACK_PLAN_JOB, syncPlanDial } from './callback-dialing';

/** A new plan's row as the service has checked it. */
export interface PlanValues {
  customer_id: number;
  phone_id: number;
  number: string;
  owner_user_id: number;
  due_at: number;
  note: string | null;
  status: CallbackPlan['status'];
  mode: CallbackPlan['mode'];
  queue_id: number | null;
}

/** The columns a change sets, in the order the service decided them (the audit entry keeps it). */
export type PlanUpdate = Partial<Omit<PlanValues, 'customer_id' | 'status'>> & {
  status?: CallbackPlan['status'];
  updated_at: number;
};

export type PlanAuditAction = 'update' | 'done' | 'cancel' | 'reassign';

/** The filters of a plan list; `dueTo` is inclusive of its instant, or (a whole day) exclusive. */
export interface PlanListFilter {
  owner?: number;
  status?: CallbackPlanStatus[];
  customerId?: number;
  dueFrom?: number;
  dueTo?: { at: number; inclusive: boolean };
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

/** Callback plans in the database: reads in the API's shape, and writes with their dialer job and audit entry. */
export class CallbackPlanStore {
  constructor(
    private readonly db: Db,
    private readonly dialer: Dialer,
  ) {}

  /** The plans with these ids as the API presents them to `viewer`, in the given order. */
  async load(viewer: Viewer, ids: number[]): Promise<CallbackPlan[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('callback_plans')
      .innerJoin('users', 'users.id', 'callback_plans.owner_user_id')
      .leftJoin('customers', 'customers.id', 'callback_plans.customer_id')
      .leftJoin('customer_phones', 'customer_phones.id', 'callback_plans.phone_id')
      .select(planColumns)
      .where('callback_plans.id', 'in', ids)
      .execute();
    return inIdOrder(ids, rows, (r) => ({
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
    }));
  }

  /** A page of plans, soonest due first; agents' lists are their own (the caller narrows). */
  async list(
    viewer: Viewer,
    filter: PlanListFilter,
    paging: PageRequest,
  ): Promise<{ plans: CallbackPlan[]; total: number }> {
    let base = this.db.selectFrom('callback_plans');
    if (filter.owner !== undefined) base = base.where('owner_user_id', '=', filter.owner);
    if (filter.status) base = base.where('status', 'in', filter.status);
    if (filter.customerId !== undefined) base = base.where('customer_id', '=', filter.customerId);
    if (filter.dueFrom !== undefined) base = base.where('due_at', '>=', filter.dueFrom);
    if (filter.dueTo) base = base.where('due_at', filter.dueTo.inclusive ? '<=' : '<', filter.dueTo.at);
    const ordered = base.select('id').orderBy('due_at', 'asc').orderBy('id', 'asc');
    const { ids, total } = await pageOfIds(base, ordered, paging);
    return { plans: await this.load(viewer, ids), total };
  }

  /** The dialer's attempts at an auto-dialled plan, oldest first. */
  async attempts(id: number) {
    const attempts = await this.dialer.jobs.attemptsOf(CALLBACK_PLAN_JOB, id);
    return attempts.map((a) => ({ at: a.at, outcome: a.outcome, callId: a.call_id }));
  }

  /** The plan's row, if the viewer may see it (agents only their own); 404 otherwise. */
  async findVisible(viewer: Viewer, id: number) {
    let q = this.db.selectFrom('callback_plans').selectAll().where('id', '=', id);
    if (!viewer.seesAll) q = q.where('owner_user_id', '=', viewer.user.id);
    const row = await q.executeTakeFirst();
    if (!row) throw ApiError.notFound('No such callback plan');
    return row;
  }

  /** The phone's number, if the phone is one of a customer the viewer may see. */
  phoneOfCustomer(viewer: Viewer, customerId: number, phoneId: number) {
    return visibleCustomers(this.db, viewer)
      .innerJoin('customer_phones', 'customer_phones.customer_id', 'customers.id')
      .select(['customers.id', 'customer_phones.number'])
      .where('customers.id', '=', customerId)
      .where('customer_phones.id', '=', phoneId)
      .executeTakeFirst();
  }

  async customerVisible(viewer: Viewer, customerId: number): Promise<boolean> {
    const row = await visibleCustomers(this.db, viewer)
      .select('customers.id')
      .where('customers.id', '=', customerId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async queueExists(queueId: number): Promise<boolean> {
    const row = await this.db.selectFrom('queues').select('id').where('id', '=', queueId).executeTakeFirst();
    return row !== undefined;
  }

  /** An active agent or supervisor who can own a plan. */
  findOwner(userId: number): Promise<number | null> {
    return findDeskUserId(this.db, userId);
  }

  async create(values: PlanValues, actorId: number, now: number): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('callback_plans')
        .values({ ...values, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await syncPlanDial(this.dialer, tx, row.id, now);
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: actorId },
          action: 'create',
          entity: 'callback_plan',
          entityId: row.id,
          after: {
            customerId: values.customer_id,
            phoneId: values.phone_id,
            ownerUserId: values.owner_user_id,
            dueAt: values.due_at,
            mode: values.mode,
            queueId: values.queue_id,
          },
        },
        now,
      );
      return row.id;
    });
  }

  async update(
    before: Awaited<ReturnType<CallbackPlanStore['findVisible']>>,
    update: PlanUpdate,
    action: PlanAuditAction,
    actorId: number,
    now: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('callback_plans').set(update).where('id', '=', before.id).execute();
      await syncPlanDial(this.dialer, tx, before.id, now);
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: actorId },
          action,
          entity: 'callback_plan',
          entityId: before.id,
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
  }
}
