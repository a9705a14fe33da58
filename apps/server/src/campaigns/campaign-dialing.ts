import type { CampaignRetryDelays, CampaignStats } from '@switchboard/shared';
import { sql } from 'kysely';
import type { AgentBoard } from '../agents/agent-board';
import { loadCallbackDialingPolicy } from '../callback-plans/callback-dialing';
import type { Db } from '../db/database';
import type { CampaignMode, CampaignTaskStatus, DialTaskResult } from '../db/schema';
import { nextCallingTime } from '../dialer/calling-hours';
import type { DialContext, Dialer, DialHandler, DialResult, DueJob } from '../dialer/dialer';
import type { DoNotCallList } from '../dialer/do-not-call';
import { dialCustomerForAgent, legOutcome, runPlacedCall } from '../dialer/placed-call';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../observability/logger';
import type { CallScripts } from '../switch/scripts/call-scripts';
import type { ScriptCall } from '../switch/scripts/script-call';
import type { ScriptLeg } from '../switch/scripts/script-leg';
import { CAMPAIGN_TASK_JOB, type CampaignStore, parseRetryDelays } from './campaign-store';
import { ANSWER_WINDOW, predictivePacing } from './predictive-pacing';

/** What a dial job carries: the campaign, the agent it is for, and how to connect them. */
interface CampaignJob {
  campaignId: number;
  /** Null for a predictive dial: the agent is chosen once the customer has answered. */
  userId: number | null;
  mode: CampaignMode;
}

/** Outcomes worth another dial (the customer was not reached, or no agent took them). */
const retryable = new Set(['busy', 'no_answer', 'failed', 'rejected', 'abandoned']);
/** How long a progressive agent's phone rings once the customer has answered. */
const AGENT_RING_MS = 15_000;
/** Predictive: how long an answered customer waits for a free agent before they are abandoned. */
const ABANDON_AFTER_MS = 2_000;
/** What an abandoned customer hears unless the campaign names another sound. */
const DEFAULT_ABANDON_PROMPT = 'agents-busy-call-later';
/**
 * Several nodes: a job for an agent whose phone is on another node is handed back this often, for at
 * most this long (the agent may have gone offline meanwhile), before the task goes back to the pool.
 */
const OTHER_NODE_RETRY_MS = 250;
const AGENT_ELSEWHERE_WAIT_MS = 10_000;
/** Tasks skipped in one look for a preview agent's next (do-not-call, outside hours, past their end). */
const MAX_SKIPS = 50;

/**
 * The agent is kept on the board under this key from the moment a task is chosen for them until its
 * call has ended, so the ACD (and another campaign) offers them nothing else meanwhile.
 */
export function reservationKey(userId: number): string {
  return `campaign-agent-${userId}`;
}

function retryDelayOf(delays: CampaignRetryDelays, outcome: string): number {
  if (outcome === 'busy') return delays.busy;
  if (outcome === 'no_answer') return delays.no_answer;
  if (outcome === 'abandoned') return delays.abandoned;
  return delays.failed;
}

/** The dial task's result that follows from a dial's outcome (the agent may correct it). */
function resultOf(outcome: string): DialTaskResult | null {
  if (outcome === 'answered') return 'reached';
  if (outcome === 'busy') return 'busy';
  if (outcome === 'no_answer') return 'no_answer';
  return null;
}

type TaskRow = NonNullable<Awaited<ReturnType<CampaignDialing['taskRow']>>>;

/**
 * Works the running campaigns: progressive ones dial the next due task for each joined agent who is
 * idle (customer first, then the agent's phone), preview ones dial the task an agent reserved when
 * they press Call (agent first). Every dial is a dialer job (claimed once, recorded before the
 * INVITE, capped with the rest of the outbound work) run as a call script; do-not-call numbers are
 * never dialled and calling hours are waited for. One call per agent: the agent is kept on the
 * board from the moment a task is chosen for them until its call has ended.
 */
export class CampaignDialing implements DialHandler {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private kicking: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly published = new Map<number, string>();
  /** Predictive: per campaign, customers dialled (or answered) and not yet given an agent, on this node. */
  private readonly inFlight = new Map<number, number>();
  private offAvailable: (() => void) | null = null;
  private quiet = false;

  constructor(
    private readonly deps: {
      db: Db;
      store: CampaignStore;
      board: AgentBoard;
      dialer: Dialer;
      scripts: CallScripts;
      doNotCall: DoNotCallList;
      events: EventBus;
      logger: Logger;
      /** How often running campaigns are looked at without a nudge (retries coming due, figures). */
      pollMs?: number;
      /** Finds the file of a `sound:<id>` abandon prompt (the sound library). */
      sounds?: { resolve(prompt: string): Promise<string | null> };
    },
  ) {}

  /** Lets an agent go without this look starting another (the ACD still hears they are free). */
  private releaseQuietly(userId: number): void {
    this.quiet = true;
    try {
      this.deps.board.release(userId, reservationKey(userId));
    } finally {
      this.quiet = false;
    }
  }

  start(): void {
    this.offAvailable = this.deps.board.onAvailable(() => {
      if (!this.quiet) this.kick();
    });
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.offAvailable?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.kicking;
  }

  /** Look for work now (an agent freed or joined, tasks added, a campaign started). */
  kick(): void {
    if (this.stopped) return;
    if (this.kicking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.kicking = this.look()
      .catch((err) => this.deps.logger.error({ err }, 'campaign dialling failed'))
      .finally(() => {
        this.kicking = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else if (!this.stopped) {
          this.timer = setTimeout(() => this.kick(), this.deps.pollMs ?? 1000);
          this.timer.unref?.();
        }
      });
  }

  /** Resolves once no look is running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.kicking) await this.kicking;
  }

  private async look(): Promise<void> {
    const { board, store } = this.deps;
    for (const { campaign_id: campaignId, user_id: userId } of await store.joinedAgents('progressive')) {
      if (this.stopped) return;
      if (!board.isIdle(userId)) continue;
      // Kept at once, before any await, so neither the ACD nor another campaign takes them meanwhile;
      // the dial's end lets them go.
      const key = reservationKey(userId);
      if (!board.reserve(userId, key)) continue;
      let taskId: number | null = null;
      try {
        taskId = await this.claimNext(campaignId, userId, 'dialling');
      } finally {
        if (taskId === null) this.releaseQuietly(userId);
      }
    }
    await this.pacePredictive();
    await this.finishAndPublish();
  }

  /**
   * Predictive: for each running campaign, as many customers as the pacing rule says for its free
   * joined agents. No agent is kept at dial time; an answered customer takes the first one free.
   */
  private async pacePredictive(): Promise<void> {
    const { board, store } = this.deps;
    const byCampaign = new Map<number, number[]>();
    for (const a of await store.joinedAgents('predictive'))
      byCampaign.set(a.campaign_id, [...(byCampaign.get(a.campaign_id) ?? []), a.user_id]);
    for (const [campaignId, userIds] of byCampaign) {
      if (this.stopped) return;
      const freeAgents = userIds.filter((u) => board.isIdle(u)).length;
      if (freeAgents === 0) continue;
      const campaign = await this.deps.db
        .selectFrom('campaigns')
        .select('abandon_cap')
        .where('id', '=', campaignId)
        .executeTakeFirstOrThrow();
      const decision = predictivePacing({
        freeAgents,
        inFlight: this.inFlight.get(campaignId) ?? 0,
        answerRate: await store.recentDials(campaignId, ANSWER_WINDOW),
        abandonRate: await store.abandonRate(campaignId),
        capPercent: Number(campaign.abandon_cap),
      });
      store.dialsPerAgent.set(campaignId, decision.perAgent);
      for (let i = 0; i < decision.dials; i++) {
        // Counted before the claim's await, so a look running meanwhile sees it.
        this.inFlight.set(campaignId, (this.inFlight.get(campaignId) ?? 0) + 1);
        const taskId = await this.claimNext(campaignId, null, 'dialling');
        if (taskId === null) {
          this.settleInFlight(campaignId);
          break;
        }
      }
    }
  }

  /** A predictive customer got an agent, or their dial ended: one call fewer in flight. */
  private settleInFlight(campaignId: number): void {
    const n = (this.inFlight.get(campaignId) ?? 0) - 1;
    if (n > 0) this.inFlight.set(campaignId, n);
    else this.inFlight.delete(campaignId);
  }

  /**
   * Takes the campaign's next due task for the agent (`reserved` for preview, `dialling` with its
   * dialer job for progressive). Do-not-call numbers and tasks past their end are closed on the way;
   * one outside calling hours waits for them.
   */
  private async claimNext(
    campaignId: number,
    userId: number | null,
    as: Extract<CampaignTaskStatus, 'reserved' | 'dialling'>,
  ): Promise<number | null> {
    const { db } = this.deps;
    for (let skips = 0; skips < MAX_SKIPS; skips++) {
      const now = Date.now();
      const row = await db
        .selectFrom('campaign_tasks')
        .select('task_id')
        .where('campaign_id', '=', campaignId)
        .where('status', '=', 'pending')
        .where('next_at', '<=', now)
        .orderBy('next_at')
        .orderBy('task_id')
        .executeTakeFirst();
      if (!row) return null;
      const task = await this.taskRow(row.task_id);
      if (task?.state !== 'running') return null;
      const blocked = await this.blocked(task, now);
      if (blocked) {
        await db
          .updateTable('campaign_tasks')
          .set({ ...blocked, updated_at: now })
          .where('task_id', '=', task.task_id)
          .where('status', '=', 'pending')
          .execute();
        continue;
      }
      const claimed = await db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('campaign_tasks')
          .set({ status: as, agent_user_id: userId, updated_at: now })
          .where('task_id', '=', task.task_id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        if (as === 'dialling') await this.schedule(tx, task, userId, now);
        return true;
      });
      if (claimed) {
        if (as === 'dialling') this.deps.dialer.poke();
        return task.task_id;
      }
    }
    return null;
  }

  private async schedule(tx: Db, task: TaskRow, userId: number | null, now: number): Promise<void> {
    const payload: CampaignJob = { campaignId: task.campaign_id, userId, mode: task.mode };
    await this.deps.dialer.jobs.add(
      { kind: CAMPAIGN_TASK_JOB, subjectId: task.task_id, number: task.number, payload, dueAt: now },
      now,
      tx,
    );
  }

  /**
   * Why a task may not be dialled now, as the change to make: closed for a do-not-call number or a
   * task past its end date, pushed to the next calling hour outside the hours. Null: dial it.
   */
  private async blocked(
    task: TaskRow,
    now: number,
  ): Promise<{ status: 'closed'; outcome: string } | { next_at: number } | null> {
    if (task.end_at < now) return { status: 'closed', outcome: 'expired' };
    if (await this.deps.doNotCall.has(task.number)) return { status: 'closed', outcome: 'do_not_call' };
    const allowedAt = nextCallingTime(task.number, await this.hours(task), now, task.time_zone);
    return allowedAt > now ? { next_at: allowedAt } : null;
  }

  private async hours(task: TaskRow) {
    if (task.calling_from !== null && task.calling_to !== null)
      return { from: task.calling_from, to: task.calling_to };
    return (await loadCallbackDialingPolicy(this.deps.db)).callingHours;
  }

  async taskRow(taskId: number) {
    return this.deps.db
      .selectFrom('campaign_tasks')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_tasks.campaign_id')
      .innerJoin('dial_tasks', 'dial_tasks.id', 'campaign_tasks.task_id')
      .leftJoin('customers', 'customers.id', 'dial_tasks.customer_id')
      .leftJoin('queues', 'queues.id', 'campaigns.queue_id')
      .select([
        'campaign_tasks.task_id',
        'campaign_tasks.campaign_id',
        'campaign_tasks.status',
        'campaign_tasks.attempts',
        'campaign_tasks.agent_user_id',
        'campaign_tasks.updated_at as claimed_at',
        'campaigns.name',
        'campaigns.mode',
        'campaigns.state',
        'campaigns.caller_id',
        'campaigns.max_attempts',
        'campaigns.retry_delays',
        'campaigns.calling_from',
        'campaigns.calling_to',
        'queues.caller_id as queue_caller_id',
        'dial_tasks.number',
        'dial_tasks.customer_id',
        'dial_tasks.end_at',
        'dial_tasks.attempts as task_attempts',
        'dial_tasks.updated_at as task_updated_at',
        'customers.time_zone',
        'customers.name as customer_name',
      ])
      .where('campaign_tasks.task_id', '=', taskId)
      .executeTakeFirst();
  }

  // ---- preview ----------------------------------------------------------------------------------

  /** The preview task reserved to the agent, else the next due one reserved to them now; null: none. */
  async next(campaignId: number, userId: number): Promise<number | null> {
    const mine = await this.deps.db
      .selectFrom('campaign_tasks')
      .select('task_id')
      .where('campaign_id', '=', campaignId)
      .where('agent_user_id', '=', userId)
      .where('status', 'in', ['reserved', 'dialling'])
      .orderBy('task_id')
      .executeTakeFirst();
    if (mine) return mine.task_id;
    return this.claimNext(campaignId, userId, 'reserved');
  }

  /**
   * The agent pressed Call on their reserved task: it is checked again (do-not-call, hours, end date)
   * and dialled agent first. Returns why it cannot be, or null once the dial is scheduled.
   */
  async call(campaignId: number, userId: number, taskId: number): Promise<string | null> {
    const task = await this.taskRow(taskId);
    if (!task || task.campaign_id !== campaignId) return 'No such task in this campaign';
    if (task.state !== 'running') return 'The campaign is not running';
    if (task.status !== 'reserved' || task.agent_user_id !== userId)
      return 'This task is not reserved to you';
    const now = Date.now();
    const blocked = await this.blocked(task, now);
    if (blocked) {
      await this.deps.db
        .updateTable('campaign_tasks')
        .set({
          ...blocked,
          ...('next_at' in blocked ? { status: 'pending' as const, agent_user_id: null } : {}),
          updated_at: now,
        })
        .where('task_id', '=', taskId)
        .where('status', '=', 'reserved')
        .execute();
      return 'next_at' in blocked
        ? 'Outside calling hours for this number: the task waits for them'
        : blocked.outcome === 'do_not_call'
          ? 'This number is on the do-not-call list'
          : 'The task is past its end date';
    }
    const key = reservationKey(userId);
    if (!this.deps.board.isIdle(userId) || !this.deps.board.reserve(userId, key)) {
      return 'You are not free for a call (on a call, in wrap-up, paused or your phone is not registered)';
    }
    try {
      const scheduled = await this.deps.db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('campaign_tasks')
          .set({ status: 'dialling', updated_at: now })
          .where('task_id', '=', taskId)
          .where('status', '=', 'reserved')
          .where('agent_user_id', '=', userId)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        await this.schedule(tx, task, userId, now);
        return true;
      });
      if (!scheduled) {
        this.releaseQuietly(userId);
        return 'This task is not reserved to you';
      }
    } catch (err) {
      this.releaseQuietly(userId);
      throw err;
    }
    this.deps.dialer.poke();
    return null;
  }

  // ---- DialHandler: one dial of a task ------------------------------------------------------------

  async dial(job: DueJob, ctx: DialContext): Promise<DialResult> {
    const p = job.payload as CampaignJob;
    const userId = p.userId;
    if (userId === null) return this.dialPredictive(job, ctx, p.campaignId);
    const key = reservationKey(userId);
    const board = this.deps.board;
    let held = board.get(userId)?.reservedFor === key;
    try {
      const task = job.subjectId === null ? undefined : await this.taskRow(job.subjectId);
      if (task?.status !== 'dialling') return { outcome: 'skipped', record: false };
      const now = ctx.now();
      // Paused (or finished) since the task was chosen: it goes back to the campaign's pool.
      if (task.state !== 'running') {
        return { outcome: 'skipped', record: false, commit: this.putBack(task.task_id, now, task.mode) };
      }
      // The agent's phone is on another node (its look chose the task; this node's dialer claimed
      // the job): the job goes back for that node's dialer, for a while, then the task to the pool.
      if (!held && !board.phoneHere(userId) && Date.now() - task.claimed_at < AGENT_ELSEWHERE_WAIT_MS) {
        return { outcome: 'other_node', retryAt: ctx.now() + OTHER_NODE_RETRY_MS, record: false };
      }
      // After a restart the board no longer holds the agent for this task: keep them again, if free.
      if (!held) held = board.isIdle(userId) && board.reserve(userId, key);
      if (!held) {
        return {
          outcome: 'agent_unavailable',
          record: false,
          commit: this.putBack(task.task_id, now, task.mode),
        };
      }
      const blocked = await this.blocked(task, now);
      if (blocked) return this.blockedResult(task, blocked);
      const policy = await loadCallbackDialingPolicy(this.deps.db);
      const callerId = task.caller_id ?? task.queue_caller_id ?? policy.callerId;
      const outcome = await runPlacedCall(
        this.deps.scripts,
        ctx,
        {
          type: 'auto',
          service: 'campaign',
          customerNumber: task.number,
          customerId: task.customer_id,
          agentUserId: userId,
          watchers: [userId],
        },
        (call) => {
          const dial = { call, task, userId: userId, callerId, ringMs: policy.ringSeconds * 1000 };
          return task.mode === 'preview' ? this.agentFirst(dial) : this.customerFirst(dial);
        },
      );
      if (outcome === null) return { outcome: 'lease_lost', record: false };
      return this.decide(task, outcome, { now: ctx.now(), userId });
    } finally {
      // Free for the next task (or a queue call) once this call has ended.
      if (held) board.release(userId, key);
      this.kick();
    }
  }

  /**
   * One predictive dial: the customer first; on answer the first free joined agent is kept and rung
   * (bridged when they answer). No agent free within `ABANDON_AFTER_MS`: the customer hears the
   * campaign's abandon prompt and the dial is `abandoned` (the call's hang-up cause too).
   */
  private async dialPredictive(job: DueJob, ctx: DialContext, campaignId: number): Promise<DialResult> {
    const dial = { agent: null as number | null, settled: false };
    const settle = () => {
      if (dial.settled) return;
      dial.settled = true;
      this.settleInFlight(campaignId);
    };
    try {
      const task = job.subjectId === null ? undefined : await this.taskRow(job.subjectId);
      if (task?.status !== 'dialling') return { outcome: 'skipped', record: false };
      const now = ctx.now();
      if (task.state !== 'running') {
        return { outcome: 'skipped', record: false, commit: this.putBack(task.task_id, now, task.mode) };
      }
      const blocked = await this.blocked(task, now);
      if (blocked) return this.blockedResult(task, blocked);
      const policy = await loadCallbackDialingPolicy(this.deps.db);
      const callerId = task.caller_id ?? task.queue_caller_id ?? policy.callerId;
      const outcome = await runPlacedCall(
        this.deps.scripts,
        ctx,
        { type: 'auto', service: 'campaign', customerNumber: task.number, customerId: task.customer_id },
        (call) =>
          this.predictiveCall({ call, task, callerId, ringMs: policy.ringSeconds * 1000 }, dial, settle),
      );
      if (outcome === null) return { outcome: 'lease_lost', record: false };
      // The agent leaves the campaign only when it was theirs to take the customer (they did not answer).
      const missedBy = outcome === 'abandoned' ? dial.agent : null;
      return this.decide(task, outcome, {
        now: ctx.now(),
        userId: missedBy,
        answeredBy: outcome === 'answered' ? dial.agent : null,
      });
    } finally {
      settle();
      if (dial.agent !== null) this.deps.board.release(dial.agent, reservationKey(dial.agent));
      this.kick();
    }
  }

  private blockedResult(
    task: TaskRow,
    blocked: { status: 'closed'; outcome: string } | { next_at: number },
  ): DialResult {
    if ('next_at' in blocked) {
      return {
        outcome: 'outside_hours',
        record: false,
        commit: this.update(task.task_id, {
          status: 'pending',
          agent_user_id: null,
          next_at: blocked.next_at,
        }),
      };
    }
    return {
      outcome: blocked.outcome,
      commit: this.update(task.task_id, { status: 'closed', outcome: blocked.outcome }),
    };
  }

  private async predictiveCall(
    d: Omit<PlacedDial, 'userId'>,
    dial: { agent: number | null },
    settle: () => void,
  ): Promise<string> {
    const customer = d.call.originate({
      to: d.task.number,
      role: 'customer',
      ringTimeoutMs: d.ringMs,
      ...(d.callerId ? { callerId: { number: d.callerId } } : {}),
    });
    const reached = await customer.outcome();
    if (reached !== 'connected') return legOutcome(reached);
    const stopRingback = customer.ringback();
    dial.agent = await this.takeFreeAgent(d.task.campaign_id, ABANDON_AFTER_MS, () => customer.ended);
    settle();
    if (dial.agent === null || customer.ended) {
      stopRingback();
      return this.abandon(d, customer);
    }
    d.call.assignAgent(dial.agent);
    // The task is the agent's from now on, so they may set its result while the call is up.
    await this.deps.db
      .updateTable('campaign_tasks')
      .set({ agent_user_id: dial.agent })
      .where('task_id', '=', d.task.task_id)
      .where('status', '=', 'dialling')
      .execute();
    const agent = this.ringAgent({ ...d, userId: dial.agent }, AGENT_RING_MS);
    const answered = await agent.outcome();
    stopRingback();
    if (answered !== 'connected') return this.abandon(d, customer);
    await d.call.bridge(customer, agent);
    return 'answered';
  }

  /** The customer answered and no agent took them: the abandon prompt, and the call ends as abandoned. */
  private async abandon(d: Omit<PlacedDial, 'userId'>, customer: ScriptLeg): Promise<string> {
    if (!customer.ended) {
      const configured = await this.abandonPrompt(d.task.campaign_id);
      await customer.play(configured);
    }
    // The CDR says so too; the script's end hangs the customer up.
    d.call.endCause = 'abandoned';
    return 'abandoned';
  }

  private async abandonPrompt(campaignId: number): Promise<string> {
    const row = await this.deps.db
      .selectFrom('campaigns')
      .select('abandon_prompt')
      .where('id', '=', campaignId)
      .executeTakeFirst();
    const name = row?.abandon_prompt ?? null;
    if (name === null) return DEFAULT_ABANDON_PROMPT;
    const file = this.deps.sounds ? await this.deps.sounds.resolve(name) : name;
    return file ?? DEFAULT_ABANDON_PROMPT;
  }

  /**
   * Keeps the first joined agent of the campaign who is free, waiting up to `ms` for one to free
   * up (or until `gone` says the customer left). Null: none in time.
   */
  private async takeFreeAgent(campaignId: number, ms: number, gone: () => boolean): Promise<number | null> {
    const { board, store } = this.deps;
    const deadline = Date.now() + ms;
    for (;;) {
      for (const a of await store.joinedAgents('predictive')) {
        if (a.campaign_id !== campaignId || !board.isIdle(a.user_id)) continue;
        if (board.reserve(a.user_id, reservationKey(a.user_id))) return a.user_id;
      }
      const left = deadline - Date.now();
      if (left <= 0 || gone() || this.stopped) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, left);
        const off = board.onAvailable(done);
        function done() {
          clearTimeout(t);
          off();
          resolve();
        }
      });
    }
  }

  async interrupted(job: DueJob, tx: Db): Promise<undefined> {
    // The customer may have been reached before the process stopped: never rung twice by a crash.
    if (job.subjectId === null) return;
    // The INVITE was sent: it counts as one of the task's dials.
    await tx
      .updateTable('campaign_tasks')
      .set({ status: 'closed', outcome: 'interrupted', attempts: sql`attempts + 1`, updated_at: Date.now() })
      .where('task_id', '=', job.subjectId)
      .execute();
  }

  /**
   * The task after a dial that rang out: done, a retry after the result's wait, or closed.
   * `userId`: the agent who leaves the campaign for an abandoned customer; `answeredBy`: the
   * predictive agent who took the customer.
   */
  private decide(
    task: TaskRow,
    outcome: string,
    dial: { now: number; userId?: number | null; answeredBy?: number | null },
  ): DialResult {
    const { now, userId = null, answeredBy = null } = dial;
    if (outcome === 'agent_unavailable') {
      // The preview agent did not take their own call: no dial of the customer's is counted.
      return { outcome, commit: this.putBack(task.task_id, now, task.mode) };
    }
    const attempts = task.attempts + 1;
    const result = resultOf(outcome);
    let taskWrites = async (tx: Db) => {
      // A result the agent set from the desk while the call was up (the dial task changed since the
      // dial read it) stands over the dial's own.
      if (result)
        await tx
          .updateTable('dial_tasks')
          .set({ result })
          .where('id', '=', task.task_id)
          .where('updated_at', '=', task.task_updated_at)
          .execute();
      await tx
        .updateTable('dial_tasks')
        .set({ attempts: task.task_attempts + 1, updated_at: now })
        .where('id', '=', task.task_id)
        .execute();
    };
    if (outcome === 'answered') {
      return {
        outcome,
        commit: this.update(
          task.task_id,
          {
            status: 'done',
            outcome,
            attempts,
            ...(answeredBy !== null ? { agent_user_id: answeredBy } : {}),
          },
          taskWrites,
        ),
      };
    }
    if (outcome === 'abandoned' && userId !== null) {
      // The agent did not take a customer who answered: they leave the campaign (as an agent who
      // misses a queue call is paused) rather than abandon the next customer too.
      const base = taskWrites;
      taskWrites = async (tx: Db) => {
        await base(tx);
        await tx
          .updateTable('campaign_agents')
          .set({ joined_at: null })
          .where('campaign_id', '=', task.campaign_id)
          .where('user_id', '=', userId)
          .execute();
      };
    }
    if (retryable.has(outcome) && attempts < task.max_attempts) {
      const wait = retryDelayOf(parseRetryDelays(task.retry_delays), outcome) * 1000;
      return {
        outcome,
        commit: this.update(
          task.task_id,
          { status: 'pending', outcome, attempts, agent_user_id: null, next_at: now + wait },
          taskWrites,
        ),
      };
    }
    return {
      outcome,
      commit: this.update(task.task_id, { status: 'closed', outcome, attempts }, taskWrites),
    };
  }

  /** A task not dialled after all: back to the pool (progressive) or to its preview agent. */
  private putBack(taskId: number, now: number, mode: CampaignMode) {
    return this.update(
      taskId,
      mode === 'preview' ? { status: 'reserved', next_at: now } : { status: 'pending', agent_user_id: null },
    );
  }

  private update(
    taskId: number,
    set: {
      status: CampaignTaskStatus;
      outcome?: string;
      attempts?: number;
      agent_user_id?: number | null;
      next_at?: number;
    },
    also?: (tx: Db) => Promise<void>,
  ) {
    return async (tx: Db) => {
      await tx
        .updateTable('campaign_tasks')
        .set({ ...set, updated_at: Date.now() })
        .where('task_id', '=', taskId)
        .where('status', '=', 'dialling')
        .execute();
      await also?.(tx);
    };
  }

  /** Progressive: the customer is dialled; on answer the kept agent's phone rings and both are bridged. */
  private async customerFirst(d: PlacedDial): Promise<string> {
    const customer = d.call.originate({
      to: d.task.number,
      role: 'customer',
      ringTimeoutMs: d.ringMs,
      ...(d.callerId ? { callerId: { number: d.callerId } } : {}),
    });
    const reached = await customer.outcome();
    if (reached !== 'connected') return legOutcome(reached);
    const agent = this.ringAgent(d, AGENT_RING_MS);
    const stopRingback = customer.ringback();
    const answered = await agent.outcome();
    stopRingback();
    if (answered !== 'connected') {
      await customer.play(await this.abandonPrompt(d.task.campaign_id));
      d.call.endCause = 'abandoned';
      return 'abandoned';
    }
    await d.call.bridge(customer, agent);
    return 'answered';
  }

  /** Preview: the agent's phone rings; once answered the customer is dialled and both are bridged. */
  private async agentFirst(d: PlacedDial): Promise<string> {
    const agent = this.ringAgent(d, d.ringMs);
    if ((await agent.outcome()) !== 'connected') return 'agent_unavailable';
    return dialCustomerForAgent(d.call, agent, {
      to: d.task.number,
      ringTimeoutMs: d.ringMs,
      ...(d.callerId ? { callerId: { number: d.callerId } } : {}),
    });
  }

  private ringAgent(d: PlacedDial, ringMs: number) {
    // Progressive and predictive agents did not pick the task: the desk learns whose call it is, to
    // take its result (a preview agent's desk already shows the task they pressed Call on).
    if (d.task.mode !== 'preview') {
      this.deps.events.publish(
        {
          type: 'campaign_call',
          campaignId: d.task.campaign_id,
          campaignName: d.task.name,
          taskId: d.task.task_id,
          callId: d.call.uuid,
          number: d.task.number,
          customerName: d.task.customer_name,
          at: Date.now(),
        },
        { userIds: [d.userId] },
      );
    }
    return d.call.originate({
      to: '',
      via: { agent: d.userId },
      role: 'agent',
      ringTimeoutMs: ringMs,
      // The desk shows which campaign calls; the number itself may be masked for agents.
      callerId: { number: 'campaign', name: d.task.name.replace(/[\r\n"]/g, ' ').slice(0, 60) },
    });
  }

  // ---- live figures -----------------------------------------------------------------------------

  /** Closes running campaigns with nothing left, and publishes figures that changed. */
  private async finishAndPublish(): Promise<void> {
    const { db, store } = this.deps;
    const running = await db
      .selectFrom('campaigns')
      .select(['id', 'state'])
      .where('state', '=', 'running')
      .execute();
    for (const c of running) {
      const stats = await store.stats(c.id);
      let state = c.state;
      if (stats.remaining === 0 && (await store.setState(c.id, ['running'], 'finished', null)))
        state = 'finished';
      await this.publish(c.id, state, stats);
    }
  }

  /** Sends the campaign's figures to supervisors and its joined agents when they changed. */
  async publish(campaignId: number, state?: string, stats?: CampaignStats): Promise<void> {
    const { db, store } = this.deps;
    const row = await db
      .selectFrom('campaigns')
      .select('state')
      .where('id', '=', campaignId)
      .executeTakeFirst();
    if (!row) return;
    const figures = stats ?? (await store.stats(campaignId));
    const current = (state ?? row.state) as typeof row.state;
    const key = JSON.stringify([current, figures]);
    if (this.published.get(campaignId) === key) return;
    this.published.set(campaignId, key);
    const agents = await db
      .selectFrom('campaign_agents')
      .select('user_id')
      .where('campaign_id', '=', campaignId)
      .where('joined_at', 'is not', null)
      .execute();
    this.deps.events.publish(
      { type: 'campaign', campaignId, state: current, stats: figures, at: Date.now() },
      { minRole: 'supervisor', userIds: agents.map((a) => a.user_id) },
    );
  }
}

interface PlacedDial {
  call: ScriptCall;
  task: TaskRow;
  userId: number;
  callerId: string | null;
  ringMs: number;
}
