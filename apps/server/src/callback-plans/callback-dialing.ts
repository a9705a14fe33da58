import type { CallbackDialingPolicy, CallbackPlanMode } from '@switchboard/shared';
import type { Db } from '../db/database';
import { nextCallingTime } from '../dialer/calling-hours';
import type { DialContext, Dialer, DialHandler, DialResult, DueJob } from '../dialer/dialer';
import { loadCallbackDialingPolicy } from '../dialer/dialing-policy';
import type { DoNotCallList } from '../dialer/do-not-call';
import { dialCustomerForAgent, legOutcome, runPlacedCall } from '../dialer/placed-call';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../observability/logger';
import type { CallScripts } from '../switch/scripts/call-scripts';
import type { ScriptCall } from '../switch/scripts/script-call';
import type { ScriptLeg } from '../switch/scripts/script-leg';

/** The dialer job kind of an auto-dialled callback plan. */
export const CALLBACK_PLAN_JOB = 'callback_plan';

export { loadCallbackDialingPolicy } from '../dialer/dialing-policy';

const retryable = new Set(['busy', 'no_answer', 'failed', 'rejected', 'agent_unavailable']);

/**
 * Keeps a plan's dialer job in step with the plan: any pending dial is cancelled, and an
 * auto-dialled plan that is still open gets one at its due time. Runs in the plan's transaction.
 */
export async function syncPlanDial(dialer: Dialer, tx: Db, planId: number, now: number): Promise<void> {
  await dialer.jobs.cancelPending(CALLBACK_PLAN_JOB, planId, now, tx);
  // A call in progress decides its own retry (and reads the plan again before dialling).
  const inProgress = await tx
    .selectFrom('dialer_jobs')
    .select('id')
    .where('kind', '=', CALLBACK_PLAN_JOB)
    .where('subject_id', '=', planId)
    .where('status', '=', 'dialling')
    .executeTakeFirst();
  if (inProgress) return;
  const plan = await tx
    .selectFrom('callback_plans')
    .select(['mode', 'status', 'due_at', 'number'])
    .where('id', '=', planId)
    .executeTakeFirst();
  if (!plan || plan.mode === 'remind' || (plan.status !== 'scheduled' && plan.status !== 'due')) return;
  await dialer.jobs.add(
    { kind: CALLBACK_PLAN_JOB, subjectId: planId, number: plan.number, dueAt: plan.due_at },
    now,
    tx,
  );
}

interface PlanToDial {
  id: number;
  mode: CallbackPlanMode;
  status: string;
  ownerUserId: number;
  customerId: number | null;
  note: string | null;
  queueId: number | null;
  /** The customer's own zone for calling hours (null: the number's country). */
  customerZone: string | null;
  /** What the customer sees: the plan's queue's caller ID, else the policy's, else the trunk's. */
  queueCallerId: string | null;
  number: string | null;
  attempts: number;
}

/**
 * Places a callback plan's call when it comes due — agent first or customer first — as a call
 * script, and decides from the outcome: done, a retry inside calling hours, or missed.
 */
export class CallbackDialing implements DialHandler {
  constructor(
    private readonly deps: {
      db: Db;
      scripts: CallScripts;
      doNotCall: DoNotCallList;
      events: EventBus;
      logger: Logger;
    },
  ) {}

  private async plan(id: number): Promise<PlanToDial | null> {
    const r = await this.deps.db
      .selectFrom('callback_plans')
      .leftJoin('customer_phones', 'customer_phones.id', 'callback_plans.phone_id')
      .leftJoin('customers', 'customers.id', 'callback_plans.customer_id')
      .leftJoin('queues', 'queues.id', 'callback_plans.queue_id')
      .select([
        'customers.time_zone',
        'queues.caller_id',
        'callback_plans.id',
        'callback_plans.mode',
        'callback_plans.status',
        'callback_plans.owner_user_id',
        'callback_plans.customer_id',
        'callback_plans.note',
        'callback_plans.queue_id',
        'callback_plans.number',
        'customer_phones.number as phone_number',
        'callback_plans.attempts',
      ])
      .where('callback_plans.id', '=', id)
      .executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      mode: r.mode,
      status: r.status,
      ownerUserId: r.owner_user_id,
      customerId: r.customer_id,
      note: r.note,
      queueId: r.queue_id,
      customerZone: r.time_zone,
      queueCallerId: r.caller_id,
      number: r.phone_number ?? r.number,
      attempts: r.attempts,
    };
  }

  /** The plan's own writes after a dial: committed by the dialer together with the attempt. */
  private close(plan: PlanToDial, status: 'done' | 'missed' | null, now: number, dialled: boolean) {
    return async (tx: Db) => {
      await tx
        .updateTable('callback_plans')
        .set({
          ...(status ? { status } : {}),
          ...(dialled ? { attempts: plan.attempts + 1, last_attempt_at: now } : {}),
          updated_at: now,
        })
        .where('id', '=', plan.id)
        .where('status', 'in', ['scheduled', 'due'])
        .execute();
    };
  }

  async dial(job: DueJob, ctx: DialContext): Promise<DialResult> {
    const plan = job.subjectId === null ? null : await this.plan(job.subjectId);
    // Closed, rescheduled to remind-only or deleted since the job was queued: nothing to dial.
    if (!plan || plan.mode === 'remind' || (plan.status !== 'scheduled' && plan.status !== 'due')) {
      return { outcome: 'skipped', record: false };
    }
    const policy = await loadCallbackDialingPolicy(this.deps.db);
    const number = plan.number;
    if (!number) return { outcome: 'no_number', commit: this.close(plan, 'missed', ctx.now(), false) };
    if (await this.deps.doNotCall.has(number)) {
      return { outcome: 'do_not_call', commit: this.close(plan, 'missed', ctx.now(), false) };
    }
    const allowedAt = nextCallingTime(number, policy.callingHours, ctx.now(), plan.customerZone);
    if (allowedAt > ctx.now()) return { outcome: 'outside_hours', retryAt: allowedAt, record: false };

    const outcome = await runPlacedCall(
      this.deps.scripts,
      ctx,
      {
        type: 'auto',
        service: 'scheduled_callback',
        customerNumber: number,
        customerId: plan.customerId,
        // The owner may open the call's customer window from the moment their phone rings.
        agentUserId: plan.ownerUserId,
        watchers: [plan.ownerUserId],
      },
      (c) =>
        plan.mode === 'agent_first'
          ? this.agentFirst(c, plan, number, policy)
          : this.customerFirst(c, plan, number, policy),
    );
    if (outcome === null) return { outcome: 'lease_lost', record: false };

    const now = ctx.now();
    const dialsMade = plan.attempts + 1;
    if (outcome === 'answered') return { outcome, commit: this.close(plan, 'done', now, true) };
    if (retryable.has(outcome) && dialsMade < policy.maxAttempts) {
      const delay =
        policy.retryDelaySeconds[outcome as keyof CallbackDialingPolicy['retryDelaySeconds']] ??
        policy.retryDelaySeconds.failed;
      return {
        outcome,
        retryAt: nextCallingTime(number, policy.callingHours, now + delay * 1000, plan.customerZone),
        commit: this.close(plan, null, now, true),
      };
    }
    return { outcome, commit: this.close(plan, 'missed', now, true) };
  }

  async interrupted(job: DueJob): Promise<undefined> {
    // The call may have reached the customer: the owner decides, the plan stays open and reminds.
    this.deps.logger.warn({ planId: job.subjectId }, 'a callback plan’s call was cut by a restart');
  }

  /**
   * Rings the plan's owner, and pops the plan on their desk as it rings: the customer window of this
   * call with the plan's note (docs/dialer.md, "Screen pop").
   */
  private ringOwner(call: ScriptCall, plan: PlanToDial, ringSeconds: number): ScriptLeg {
    const leg = call.originate({
      to: '',
      via: { agent: plan.ownerUserId },
      role: 'agent',
      ringTimeoutMs: ringSeconds * 1000,
      // The desk shows who is being called back; the number itself may be masked for agents.
      callerId: { number: 'callback', name: 'Callback' },
    });
    this.deps.events.publish(
      {
        type: 'callback_plan',
        planId: plan.id,
        status: 'calling',
        callId: call.uuid,
        note: plan.note,
        at: Date.now(),
      },
      { userIds: [plan.ownerUserId] },
    );
    return leg;
  }

  /** The owner's phone rings; once answered the customer is dialled while the agent hears ringing. */
  private async agentFirst(
    call: ScriptCall,
    plan: PlanToDial,
    number: string,
    policy: CallbackDialingPolicy,
  ): Promise<string> {
    const agent = this.ringOwner(call, plan, policy.ringSeconds);
    if ((await agent.outcome()) !== 'connected') return 'agent_unavailable';
    return dialCustomerForAgent(call, agent, {
      to: number,
      ringTimeoutMs: policy.ringSeconds * 1000,
      ...customerCallerId(plan, policy),
    });
  }

  /**
   * The customer is dialled and told who is calling back; the owner's phone rings meanwhile, and
   * when the owner does not answer in time the customer waits in the plan's queue at the head.
   */
  private async customerFirst(
    call: ScriptCall,
    plan: PlanToDial,
    number: string,
    policy: CallbackDialingPolicy,
  ): Promise<string> {
    const customer = call.originate({
      to: number,
      role: 'customer',
      ringTimeoutMs: policy.ringSeconds * 1000,
      ...customerCallerId(plan, policy),
    });
    const reached = await customer.outcome();
    if (reached !== 'connected') return legOutcome(reached);
    if ((await customer.play(['this-is', policy.companyPrompt, 'returning-your-call'])) === 'hangup') {
      return 'answered';
    }
    const agent = this.ringOwner(call, plan, policy.ownerRingSeconds);
    const stopRingback = customer.ringback();
    const owner = await agent.outcome();
    stopRingback();
    if (owner === 'connected') {
      await call.bridge(customer, agent);
      return 'answered';
    }
    if (plan.queueId !== null) {
      const queued = await call.enqueue(customer, plan.queueId, { priority: 'high' });
      if (queued === 'queued') return 'answered';
    }
    await customer.play('agents-busy-call-later');
    return 'agent_unavailable';
  }
}

/** The number the customer is shown: the plan's queue's, else the policy's, else (none given) the trunk's. */
function customerCallerId(plan: PlanToDial, policy: CallbackDialingPolicy) {
  const number = plan.queueCallerId ?? policy.callerId;
  return number ? { callerId: { number } } : {};
}
