import type {
  CallbackPlan,
  callbackPlanCreateSchema,
  callbackPlanListQuerySchema,
  callbackPlanUpdateSchema,
} from '@switchboard/shared';
import type { z } from 'zod';
import { ApiError } from '../http/api-error';
import { parseDateField, requestTimeZone } from '../http/date-input';
import type { AppDeps } from '../http/deps';
import { fieldError } from '../http/validate';
import type { Viewer } from '../http/viewer';
import {
  CallbackPlanStore,
  type PlanAuditAction,
  type PlanListFilter,
  type PlanUpdate,
} from './callback-plan-store';

/** A due time this far in the past is a mistake, not a plan. */
const pastGraceMs = 5 * 60_000;

type PlanRow = Awaited<ReturnType<CallbackPlanStore['findVisible']>>;
type UpdateRequest = z.infer<typeof callbackPlanUpdateSchema>;

export type CallbackPlanServiceDeps = Pick<AppDeps, 'db' | 'dialer' | 'callbackPlans' | 'logger'>;

/** What the audit log calls a change: closing or reassigning a plan, else an update. */
function auditAction(body: UpdateRequest, update: PlanUpdate): PlanAuditAction {
  if (body.status === 'done') return 'done';
  if (body.status === 'cancelled') return 'cancel';
  return update.owner_user_id !== undefined ? 'reassign' : 'update';
}

/** Callback plans: who may plan, change and close which, and when the dialer hears of them. */
export class CallbackPlanService {
  private readonly store: CallbackPlanStore;

  constructor(private readonly deps: CallbackPlanServiceDeps) {
    this.store = new CallbackPlanStore(deps.db, deps.dialer);
  }

  /** The dialer and the due-time scheduler look at the plans again (one may be due now). */
  private poke(): Promise<void> {
    this.deps.dialer.poke();
    return this.deps.callbackPlans
      .poke()
      .catch((err) => this.deps.logger.warn({ err }, 'scheduler poke failed'));
  }

  /** A page of plans; `owner` is already narrowed to what the viewer may list. */
  list(viewer: Viewer, query: z.infer<typeof callbackPlanListQuerySchema>) {
    const zone = requestTimeZone(query.timeZone, viewer.user.timeZone);
    const filter: PlanListFilter = { owner: query.owner, status: query.status, customerId: query.customerId };
    if (query.from) filter.dueFrom = parseDateField('from', query.from, zone).utcMs;
    if (query.to) {
      const to = parseDateField('to', query.to, zone);
      // a date alone means up to the end of that day
      filter.dueTo = to.dateOnly
        ? { at: to.utcMs + 86_400_000, inclusive: false }
        : { at: to.utcMs, inclusive: true };
    }
    return this.store.list(viewer, filter, query);
  }

  /** The plan with the dialer's attempts at it; 404 when the viewer may not see it. */
  async detail(viewer: Viewer, id: number) {
    await this.store.findVisible(viewer, id);
    const [plan] = await this.store.load(viewer, [id]);
    const attempts = await this.store.attempts(id);
    return { ...plan!, attempts };
  }

  /** The plan as the viewer sees it (the caller has checked that they may). */
  async present(viewer: Viewer, id: number): Promise<CallbackPlan> {
    const [plan] = await this.store.load(viewer, [id]);
    return plan!;
  }

  /** The due time in the request's zone; 400 when it is well in the past. */
  private dueAt(viewer: Viewer, text: string, timeZone: string | undefined, now: number) {
    const zone = requestTimeZone(timeZone, viewer.user.timeZone);
    const due = parseDateField('dueAt', text, zone);
    if (due.utcMs < now - pastGraceMs) throw fieldError('dueAt', 'The due time is in the past');
    return due.utcMs;
  }

  /** The number of the customer's phone; 400 naming the customer or the phone the viewer may not use. */
  private async phoneOfCustomer(viewer: Viewer, customerId: number, phoneId: number): Promise<string> {
    const phone = await this.store.phoneOfCustomer(viewer, customerId, phoneId);
    if (phone) return phone.number;
    if (!(await this.store.customerVisible(viewer, customerId)))
      throw fieldError('customerId', 'No such customer');
    throw fieldError('phoneId', 'This number is not one of the customer’s');
  }

  private async owner(userId: number): Promise<number> {
    const id = await this.store.findOwner(userId);
    if (id === null) throw fieldError('ownerUserId', 'No such agent');
    return id;
  }

  private async checkQueue(queueId: number | null | undefined): Promise<void> {
    if (queueId === undefined || queueId === null) return;
    if (!(await this.store.queueExists(queueId))) throw fieldError('queueId', 'No such queue');
  }

  /** A new plan, the viewer's own unless a supervisor plans for someone else; returns its id. */
  async create(viewer: Viewer, body: z.infer<typeof callbackPlanCreateSchema>): Promise<number> {
    const now = Date.now();
    const due = this.dueAt(viewer, body.dueAt, body.timeZone, now);
    let ownerId = viewer.user.id;
    if (body.ownerUserId !== undefined && body.ownerUserId !== viewer.user.id) {
      if (!viewer.seesAll) throw ApiError.forbidden('Agents plan callbacks for themselves only');
      ownerId = await this.owner(body.ownerUserId);
    }
    const number = await this.phoneOfCustomer(viewer, body.customerId, body.phoneId);
    await this.checkQueue(body.queueId);
    const id = await this.store.create(
      {
        customer_id: body.customerId,
        phone_id: body.phoneId,
        number,
        owner_user_id: ownerId,
        due_at: due,
        note: body.note ?? null,
        status: due <= now ? 'due' : 'scheduled',
        mode: body.mode,
        queue_id: body.queueId ?? null,
      },
      viewer.user.id,
      now,
    );
    await this.poke();
    return id;
  }

  /** The columns a change sets; 403/400 for what the viewer may not change or what does not exist. */
  private async changes(
    viewer: Viewer,
    before: PlanRow,
    body: UpdateRequest,
    now: number,
  ): Promise<PlanUpdate> {
    const update: PlanUpdate = { updated_at: now };
    if (body.ownerUserId !== undefined && body.ownerUserId !== before.owner_user_id) {
      if (!viewer.seesAll) throw ApiError.forbidden('Only supervisors reassign callback plans');
      update.owner_user_id = await this.owner(body.ownerUserId);
    }
    if (body.mode !== undefined) update.mode = body.mode;
    if (body.queueId !== undefined) {
      await this.checkQueue(body.queueId);
      update.queue_id = body.queueId;
    }
    if (body.phoneId !== undefined) {
      if (before.customer_id === null) throw fieldError('phoneId', 'This plan has no customer');
      const number = await this.phoneOfCustomer(viewer, before.customer_id, body.phoneId);
      update.phone_id = body.phoneId;
      update.number = number;
    }
    if (body.dueAt !== undefined) {
      update.due_at = this.dueAt(viewer, body.dueAt, body.timeZone, now);
      update.status = update.due_at <= now ? 'due' : 'scheduled';
    }
    if (body.note !== undefined) update.note = body.note;
    if (body.status !== undefined) update.status = body.status;
    return update;
  }

  /** Reschedules, re-notes, reassigns or closes an open plan; a done or cancelled one stays as it is (409). */
  async update(viewer: Viewer, id: number, body: UpdateRequest): Promise<void> {
    const before = await this.store.findVisible(viewer, id);
    if (before.status === 'done' || before.status === 'cancelled') {
      throw ApiError.conflict(`This callback plan is ${before.status} and can no longer be changed`);
    }
    const now = Date.now();
    const update = await this.changes(viewer, before, body, now);
    await this.store.update(before, update, auditAction(body, update), viewer.user.id, now);
    await this.poke();
  }
}
