import type { CallbackDialingPolicy } from '@switchboard/shared';
import { sql } from 'kysely';
import { loadCallbackDialingPolicy } from '../callback-plans/callback-dialing';
import type { Db } from '../db/database';
import type { QueuedCallbackStatus, VirtualHoldMode } from '../db/schema';
import type { DialContext, Dialer, DialHandler, DialResult, DueJob } from '../dialer/dialer';
import type { DoNotCallList } from '../dialer/do-not-call';
import { dialCustomerForAgent, legOutcome, runPlacedCall } from '../dialer/placed-call';
import type { Logger } from '../observability/logger';
import type { CallbackServed } from '../queues/dispatcher';
import type { QueueService } from '../queues/queue-service';
import type { CallbackPort, QueueCall, VirtualHoldPort } from '../queues/types';
import type { CallScripts } from '../switch/scripts/call-scripts';
import type { ScriptCall } from '../switch/scripts/script-call';

/** The dialer job kind of a served callback placeholder (one job per dial). */
export const QUEUED_CALLBACK_JOB = 'queued_callback';

/** The placeholder's id in its queue's waiting list. */
export function placeholderCallId(id: number): string {
  return `callback-${id}`;
}

interface ServeJob {
  queueId: number;
  userId: number;
  callId: string;
}

/** Outcomes worth another dial (the customer was not reached). */
const retryable = new Set(['busy', 'no_answer', 'failed', 'rejected']);

/** An agent-first agent who did not answer: the placeholder waits this long for the next agent. */
const AGENT_MISSED_RETRY_MS = 2000;
/** A job claimed by a node that does not hold the placeholder is left for the one that does. */
const OTHER_NODE_RETRY_MS = 500;
/** A node whose heartbeat is older than this is dead: the other nodes adopt its placeholders. */
const DEAD_NODE_AFTER_MS = 10_000;
/** How often a running node looks for a dead node's placeholders. */
const ADOPT_EVERY_MS = 5_000;

/**
 * Queued callback (virtual hold, docs/dialer.md): a waiting caller who chose to be called back
 * leaves a **placeholder** in their place — a `queued_callbacks` row and an entry in the queue's
 * waiting list, moved and assigned like any caller. When the dispatcher serves it (it is next and
 * an agent is free) the agent is kept for it and a dialer job calls the customer: customer first
 * (the customer answers, hears who is calling, and takes the placeholder's place for the kept
 * agent) or agent first (the agent answers, then the customer is dialled and bridged). Failed
 * dials wait `retryDelayS` in place and are retried up to `maxAttempts`; then the placeholder is
 * dropped with the last outcome.
 */
export class QueuedCallbacks implements CallbackPort, DialHandler, VirtualHoldPort {
  constructor(
    private readonly deps: {
      db: Db;
      queues: QueueService;
      dialer: Dialer;
      scripts: CallScripts;
      doNotCall: DoNotCallList;
      logger: Logger;
      now?: () => number;
      /** This node (placeholders are held in one node's waiting list); `node` when not given. */
      nodeId?: string;
    },
  ) {}

  private adoptTimer: NodeJS.Timeout | null = null;
  private adopting: Promise<unknown> = Promise.resolve();

  private get nodeId(): string {
    return this.deps.nodeId ?? 'node';
  }

  /** Nodes other than this one whose heartbeat is recent. */
  private aliveNodes(now: number) {
    return this.deps.db
      .selectFrom('node_heartbeats')
      .select('node_id')
      .where('alive_at', '>=', now - DEAD_NODE_AFTER_MS)
      .where('node_id', '!=', this.nodeId);
  }

  /**
   * Makes this node the owner of the open placeholders nobody else holds: its own, unowned ones, and
   * those of nodes whose heartbeat stopped (a dead node's waiting list is gone with it).
   */
  private async adopt(now: number): Promise<void> {
    await this.deps.db
      .updateTable('queued_callbacks')
      .set({ node_id: this.nodeId })
      .where('status', 'in', ['waiting', 'calling'])
      .where((eb) => eb.or([eb('node_id', 'is', null), eb('node_id', 'not in', this.aliveNodes(now))]))
      .execute();
  }

  /** Looks for a dead node's placeholders every few seconds while this node runs. */
  start(everyMs = ADOPT_EVERY_MS): void {
    if (this.adoptTimer) return;
    const tick = () => {
      this.adopting = this.adoptDead()
        .catch((err) => this.deps.logger.warn({ err }, 'placeholders of stopped nodes not adopted'))
        .finally(() => {
          if (this.adoptTimer) this.adoptTimer = setTimeout(tick, everyMs).unref();
        });
    };
    this.adoptTimer = setTimeout(tick, everyMs).unref();
  }

  async stop(): Promise<void> {
    if (this.adoptTimer) clearTimeout(this.adoptTimer);
    this.adoptTimer = null;
    await this.adopting;
  }

  /**
   * Takes over, while this node runs, the placeholders of nodes whose heartbeat stopped: each goes
   * into this node's queue among the callers waiting there by when its caller arrived. One that was
   * being dialled when its node stopped waits until that dial's lease has run out: the dialer then
   * decides whether the customer may have been rung (`interrupted`: the place is not kept). Each
   * placeholder is taken in one conditional update, so of several nodes adopting at once one gets it.
   */
  async adoptDead(): Promise<number> {
    const { db } = this.deps;
    const now = this.now();
    const orphans = await db
      .selectFrom('queued_callbacks')
      .select(['id', 'node_id'])
      .where('status', 'in', ['waiting', 'calling'])
      .where('node_id', 'is not', null)
      .where('node_id', '!=', this.nodeId)
      .where('node_id', 'not in', this.aliveNodes(now))
      .orderBy('queue_id')
      .orderBy(sql`coalesce(queue_order, 0)`)
      .orderBy('joined_at')
      .orderBy('id')
      .execute();
    let adopted = 0;
    for (const orphan of orphans) {
      const row = await db.transaction().execute(async (tx) => {
        await this.deps.dialer.jobs.cancelPending(QUEUED_CALLBACK_JOB, orphan.id, now, tx);
        const jobs = await tx
          .selectFrom('dialer_jobs')
          .select('status')
          .where('kind', '=', QUEUED_CALLBACK_JOB)
          .where('subject_id', '=', orphan.id)
          .where('status', 'in', ['dialling', 'interrupted'])
          .execute();
        if (jobs.some((j) => j.status === 'dialling')) return null;
        const cut = jobs.length > 0;
        return tx
          .updateTable('queued_callbacks')
          .set({
            node_id: this.nodeId,
            ...(cut
              ? { status: 'dropped', outcome: 'interrupted', not_before: null }
              : { status: 'waiting' }),
            updated_at: now,
          })
          .where('id', '=', orphan.id)
          .where('node_id', '=', orphan.node_id)
          .where('status', 'in', ['waiting', 'calling'])
          .returningAll()
          .executeTakeFirst();
      });
      if (row?.status !== 'waiting') continue;
      if (
        this.deps.queues.restorePlaceholder(
          row.queue_id,
          this.placeholder(row),
          row.joined_at,
          row.not_before ?? 0,
          true,
        )
      )
        adopted++;
      else await this.close(row.id, 'dropped', 'queue_gone');
    }
    if (adopted) this.deps.logger.info({ adopted }, 'placeholders of a stopped node taken over');
    return adopted;
  }

  private placeholder(r: { id: number; number: string; caller_name: string | null }): QueueCall {
    return {
      callId: placeholderCallId(r.id),
      callerNumber: r.number,
      callerName: r.caller_name,
      callback: { id: r.id },
    };
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /**
   * Puts the stored placeholders back in their queues (after a restart), in their callers' arrival
   * order. One that was being dialled when the process stopped waits again; its dial that never
   * started is cancelled (a dial that did start is the dialer's `interrupted`).
   */
  async restore(): Promise<number> {
    const { db } = this.deps;
    const now = this.now();
    await this.adopt(now);
    const calling = await db
      .selectFrom('queued_callbacks')
      .select('id')
      .where('status', '=', 'calling')
      .where('node_id', '=', this.nodeId)
      .execute();
    for (const r of calling) {
      await this.deps.dialer.jobs.cancelPending(QUEUED_CALLBACK_JOB, r.id, now);
      const cut = await db
        .selectFrom('dialer_jobs')
        .select('id')
        .where('kind', '=', QUEUED_CALLBACK_JOB)
        .where('subject_id', '=', r.id)
        .where('status', '=', 'interrupted')
        .executeTakeFirst();
      if (cut) await this.close(r.id, 'dropped', 'interrupted');
    }
    await db
      .updateTable('queued_callbacks')
      .set({ status: 'waiting', updated_at: now })
      .where('status', '=', 'calling')
      .where('node_id', '=', this.nodeId)
      .execute();
    const rows = await db
      .selectFrom('queued_callbacks')
      .selectAll()
      .where('status', '=', 'waiting')
      .where('node_id', '=', this.nodeId)
      // As a supervisor last ordered them; placeholders from before that was kept, by arrival.
      .orderBy('queue_id')
      .orderBy(sql`coalesce(queue_order, 0)`)
      .orderBy('joined_at')
      .orderBy('id')
      .execute();
    let restored = 0;
    for (const r of rows) {
      if (
        this.deps.queues.restorePlaceholder(r.queue_id, this.placeholder(r), r.joined_at, r.not_before ?? 0)
      )
        restored++;
      else await this.close(r.id, 'dropped', 'queue_gone');
    }
    return restored;
  }

  // ---- VirtualHoldPort: the caller takes the offer -----------------------------------------------

  async accept(queueId: number, call: QueueCall, number: string): Promise<boolean> {
    const now = this.now();
    const joinedAt =
      this.deps.queues.waiting(queueId).find((w) => w.call.callId === call.callId)?.joinedAt ?? now;
    const row = await this.deps.db
      .insertInto('queued_callbacks')
      .values({
        queue_id: queueId,
        number,
        caller_name: call.callerName ?? null,
        origin_call_uuid: call.callId,
        node_id: this.nodeId,
        joined_at: joinedAt,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const placeholder: QueueCall = {
      callId: placeholderCallId(row.id),
      callerNumber: number,
      callerName: call.callerName ?? null,
      callback: { id: row.id },
    };
    if (this.deps.queues.replace(queueId, call.callId, placeholder)) {
      await this.keepOrder(queueId);
      return true;
    }
    // The caller was answered or left while the row was written: there is no place to keep.
    await this.deps.db.deleteFrom('queued_callbacks').where('id', '=', row.id).execute();
    return false;
  }

  private ordering: Promise<void> = Promise.resolve();

  /**
   * Writes where each waiting placeholder of the queue stands among them (after a reorder or a new
   * placeholder), so a restart puts them back in that order. One write at a time, each from the list
   * as it is when it runs, so the last one written is the list's latest order.
   */
  keepOrder(queueId: number): Promise<void> {
    const write = async () => {
      const ids = this.deps.queues
        .waiting(queueId)
        .flatMap((w) => (w.call.callback ? [w.call.callback.id] : []));
      if (!ids.length) return;
      await this.deps.db.transaction().execute(async (tx) => {
        for (const [order, id] of ids.entries())
          await tx.updateTable('queued_callbacks').set({ queue_order: order }).where('id', '=', id).execute();
      });
    };
    const next = this.ordering.then(write);
    this.ordering = next.catch(() => {});
    return next;
  }

  // ---- A supervisor takes a placeholder out ------------------------------------------------------

  /**
   * Takes a waiting placeholder out of its queue: it is never dialled, and its row keeps `dropped`
   * with outcome `removed`. Not while it is being dialled (an agent is kept for it): that dial ends
   * first.
   */
  async remove(queueId: number, callId: string): Promise<PlaceholderRemoval> {
    const entry = this.deps.queues.waiting(queueId).find((w) => w.call.callId === callId);
    if (!entry) return 'not_waiting';
    const id = entry.call.callback?.id;
    if (id === undefined) return 'not_a_callback';
    if (entry.ringing.length > 0) return 'being_dialled';
    // Out of the list first, synchronously, so the dispatcher cannot serve it meanwhile.
    this.deps.queues.callbackServed(queueId, callId, { result: 'dropped' });
    try {
      const now = this.now();
      await this.deps.db.transaction().execute(async (tx) => {
        await this.deps.dialer.jobs.cancelPending(QUEUED_CALLBACK_JOB, id, now, tx);
        await this.closeIn(id, 'dropped', 'removed', false)(tx);
      });
    } catch (err) {
      // The row still says waiting: the list says so again too.
      this.deps.queues.restorePlaceholder(queueId, entry.call, entry.joinedAt, 0);
      throw err;
    }
    return 'removed';
  }

  // ---- CallbackPort: the dispatcher serves a placeholder -----------------------------------------

  serve(call: QueueCall, queueId: number, userId: number): void {
    const id = call.callback?.id;
    if (id === undefined) return;
    const job: ServeJob = { queueId, userId, callId: call.callId };
    void (async () => {
      const now = this.now();
      const ours = await this.deps.db.transaction().execute(async (tx) => {
        // Only while this node still holds it: a node cut off from the database long enough to be
        // taken for dead may find another node has adopted its placeholder meanwhile.
        const held = await tx
          .updateTable('queued_callbacks')
          .set({ status: 'calling', updated_at: now })
          .where('id', '=', id)
          .where('node_id', '=', this.nodeId)
          .executeTakeFirst();
        if (held.numUpdatedRows === 0n) return false;
        await this.deps.dialer.jobs.add(
          { kind: QUEUED_CALLBACK_JOB, subjectId: id, number: call.callerNumber, payload: job, dueAt: now },
          now,
          tx,
        );
        return true;
      });
      if (!ours) {
        this.deps.logger.warn({ placeholder: id }, 'queued callback held by another node: left to it');
        this.served(job, { result: 'dropped' });
        return;
      }
      this.deps.dialer.poke();
    })().catch((err) => {
      this.deps.logger.error({ err, placeholder: id }, 'queued callback could not be scheduled');
      this.served(job, { result: 'retry', notBefore: this.now() + AGENT_MISSED_RETRY_MS });
    });
  }

  private served(job: ServeJob, served: CallbackServed): void {
    this.deps.queues.callbackServed(job.queueId, job.callId, served);
  }

  // ---- DialHandler: one dial of a served placeholder ---------------------------------------------

  async dial(job: DueJob, ctx: DialContext): Promise<DialResult> {
    const serve = job.payload as ServeJob;
    const row =
      job.subjectId === null
        ? undefined
        : await this.deps.db
            .selectFrom('queued_callbacks')
            .innerJoin('queues', 'queues.id', 'queued_callbacks.queue_id')
            .select([
              'queued_callbacks.id',
              'queued_callbacks.number',
              'queued_callbacks.status',
              'queued_callbacks.attempts',
              'queues.name as queue_name',
              'queues.caller_id',
              'queues.ring_timeout_s',
              'queues.virtual_hold_mode',
              'queues.virtual_hold_max_attempts',
              'queues.virtual_hold_retry_s',
            ])
            .where('queued_callbacks.id', '=', job.subjectId)
            .executeTakeFirst();
    const where = this.deps.queues.whereWaiting(serve.callId);
    // Waiting lists are per node: a job another node's dispatcher made goes back for that node.
    if (!where && row?.status === 'calling') {
      return { outcome: 'other_node', retryAt: ctx.now() + OTHER_NODE_RETRY_MS, record: false };
    }
    const kept = this.deps.queues.waiting(serve.queueId).find((w) => w.call.callId === serve.callId);
    // Gone or no longer served for this agent on this node (a restart put it back): nothing to dial.
    if (row?.status !== 'calling' || !where || !kept?.ringing.includes(serve.userId)) {
      if (where) this.served(serve, { result: 'retry', notBefore: ctx.now() });
      return { outcome: 'skipped', record: false };
    }
    const settings = {
      mode: row.virtual_hold_mode,
      maxAttempts: row.virtual_hold_max_attempts,
      retryDelayMs: row.virtual_hold_retry_s * 1000,
      ringTimeoutS: row.ring_timeout_s,
      queueName: row.queue_name,
    };
    if (await this.deps.doNotCall.has(row.number)) {
      this.served(serve, { result: 'dropped' });
      return { outcome: 'do_not_call', commit: this.closeIn(row.id, 'dropped', 'do_not_call', false) };
    }
    const policy = await loadCallbackDialingPolicy(this.deps.db);
    const callerId = row.caller_id ?? policy.callerId;
    const outcome = await runPlacedCall(
      this.deps.scripts,
      ctx,
      {
        type: 'auto',
        service: 'queued_callback',
        customerNumber: row.number,
        queueId: serve.queueId,
        agentUserId: serve.userId,
        watchers: [serve.userId],
      },
      (c) => {
        const dial = { call: c, number: row.number, callerId, policy, serve, settings };
        return settings.mode === 'agent_first' ? this.agentFirst(dial) : this.customerFirst(dial);
      },
    );
    if (outcome === null) {
      this.served(serve, { result: 'retry', notBefore: ctx.now() });
      return { outcome: 'lease_lost', record: false };
    }
    const now = ctx.now();
    if (outcome === 'answered') {
      this.served(serve, { result: 'connected' });
      return { outcome, commit: this.closeIn(row.id, 'connected', outcome, true, row.attempts) };
    }
    if (outcome === 'agent_unavailable') {
      // Not the customer's doing: no dial of theirs is counted, the next free agent is kept.
      const notBefore = now + AGENT_MISSED_RETRY_MS;
      this.served(serve, { result: 'retry', notBefore });
      return { outcome, commit: this.waitAgainIn(row.id, row.attempts, notBefore, outcome) };
    }
    const dials = row.attempts + 1;
    if (retryable.has(outcome) && dials < settings.maxAttempts) {
      const notBefore = now + settings.retryDelayMs;
      this.served(serve, { result: 'retry', notBefore });
      return { outcome, commit: this.waitAgainIn(row.id, dials, notBefore, outcome) };
    }
    this.served(serve, { result: 'dropped' });
    return { outcome, commit: this.closeIn(row.id, 'dropped', outcome, true, row.attempts) };
  }

  async interrupted(job: DueJob, tx: Db): Promise<(() => void) | undefined> {
    // The customer may have been reached before the process stopped: the place is not kept.
    if (job.subjectId === null) return;
    await this.closeIn(job.subjectId, 'dropped', 'interrupted', false)(tx);
    const serve = job.payload as ServeJob | null;
    return serve ? () => this.served(serve, { result: 'dropped' }) : undefined;
  }

  private closeIn(id: number, status: QueuedCallbackStatus, outcome: string, dialled: boolean, attempts = 0) {
    return async (tx: Db) => {
      await tx
        .updateTable('queued_callbacks')
        .set({
          status,
          outcome,
          ...(dialled ? { attempts: attempts + 1 } : {}),
          not_before: null,
          updated_at: this.now(),
        })
        .where('id', '=', id)
        .execute();
    };
  }

  private waitAgainIn(id: number, attempts: number, notBefore: number, outcome: string) {
    return async (tx: Db) => {
      await tx
        .updateTable('queued_callbacks')
        .set({ status: 'waiting', attempts, not_before: notBefore, outcome, updated_at: this.now() })
        .where('id', '=', id)
        .execute();
    };
  }

  private async close(id: number, status: QueuedCallbackStatus, outcome: string): Promise<void> {
    await this.closeIn(id, status, outcome, false)(this.deps.db);
  }

  /**
   * The customer is dialled; on answer they hear "This is <company> returning your call" and take
   * the placeholder's place in the queue, where the kept agent is offered the call.
   */
  private async customerFirst(d: PlacedDial): Promise<string> {
    const customer = d.call.originate({
      to: d.number,
      role: 'customer',
      ringTimeoutMs: d.policy.ringSeconds * 1000,
      ...(d.callerId ? { callerId: { number: d.callerId } } : {}),
    });
    const reached = await customer.outcome();
    if (reached !== 'connected') return legOutcome(reached);
    if ((await customer.play(['this-is', d.policy.companyPrompt, 'returning-your-call'])) === 'hangup')
      return 'hung_up';
    const queued = await d.call.enqueue(customer, d.serve.queueId, { inPlaceOf: d.serve.callId });
    return queued === 'queued' ? 'answered' : 'failed';
  }

  /**
   * The kept agent's phone rings ("Callback"); once they answer the customer is dialled while the
   * agent hears ringing, and both are bridged when the customer answers.
   */
  private async agentFirst(d: PlacedDial): Promise<string> {
    const agent = d.call.originate({
      to: '',
      via: { agent: d.serve.userId },
      role: 'agent',
      ringTimeoutMs: Math.max(5, d.settings.ringTimeoutS) * 1000,
      callerId: { number: 'callback', name: 'Callback' },
      headers: [['X-Switchboard-Queue', d.settings.queueName.replace(/[\r\n]/g, ' ')]],
    });
    if ((await agent.outcome()) !== 'connected') return 'agent_unavailable';
    return dialCustomerForAgent(
      d.call,
      agent,
      {
        to: d.number,
        ringTimeoutMs: d.policy.ringSeconds * 1000,
        ...(d.callerId ? { callerId: { number: d.callerId } } : {}),
      },
      // Reached: the place is no longer needed while they talk.
      () => this.served(d.serve, { result: 'connected' }),
    );
  }
}

export type PlaceholderRemoval = 'removed' | 'not_waiting' | 'not_a_callback' | 'being_dialled';

interface PlacedDial {
  call: ScriptCall;
  number: string;
  callerId: string | null;
  policy: CallbackDialingPolicy;
  serve: ServeJob;
  settings: {
    mode: VirtualHoldMode;
    maxAttempts: number;
    retryDelayMs: number;
    ringTimeoutS: number;
    queueName: string;
  };
}
