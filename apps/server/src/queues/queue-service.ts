import type { AgentStateService } from '../agents/agent-state-service';
import type { Db } from '../db/database';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../observability/logger';
import {
  type AssignResult,
  type CallbackServed,
  type DispatcherListener,
  QueueDispatcher,
  type WaitingSnapshot,
} from './dispatcher';
import {
  type AnsweredCall,
  EXPECTED_WAIT_SAMPLE,
  EXPECTED_WAIT_WINDOW_MS,
  expectedWaitS,
} from './expected-wait';
import type {
  AgentOfferPort,
  AgentPool,
  CallbackPort,
  OverflowTarget,
  QueueCall,
  QueueCallPort,
  QueueConfig,
  QueueMember,
} from './types';

export interface QueueServiceOptions {
  db: Db;
  events: EventBus;
  logger: Logger;
  agents: AgentStateService;
  now?: () => number;
  /** How often queue settings and members are re-read (admin changes); 0 = never. */
  reloadMs?: number;
}

/** Until the switch plugs in its port, offers fail at once (no call can be waiting without the switch anyway). */
const noOfferPort: AgentOfferPort = {
  offer: async () => 'failed',
  cancel: () => {},
};
const noCallPort: QueueCallPort = { overflow: () => {} };

/** `no_agents`: only for a caller whose flow has a no-agents exit (`QueueCall.leave`). */
export type EnqueueOutcome = 'queued' | 'full' | 'no_agents' | 'no_such_queue';

/**
 * The ACD: one QueueDispatcher per queue, configured from the queues / queue_members tables, fed by
 * the switch (`enqueue`, `hangup`), woken when an agent may have become free, and publishing the
 * waiting list as `queue_waiting` events.
 *
 * The switch plugs in with `setOfferPort()` (ring an agent) and `setCallPort()` (overflow).
 */
export class QueueService {
  private readonly dispatchers = new Map<number, QueueDispatcher>();
  private offerPort: AgentOfferPort = noOfferPort;
  private callPort: QueueCallPort = noCallPort;
  private callbackPort: CallbackPort | null = null;
  private readonly pool: AgentPool;
  private readonly now: () => number;
  private reloadTimer: ReturnType<typeof setInterval> | null = null;
  /** The agent whose free event is being handled right now (delivery decision latency). */
  private freeing: { userId: number; at: number } | null = null;
  private readonly decisionMs: number[] = [];
  /** Recent answered calls per queue, re-read at most every few seconds (announcements ask often). */
  private readonly recentAnswers = new Map<number, { at: number; calls: Promise<AnsweredCall[]> }>();

  constructor(private readonly options: QueueServiceOptions) {
    this.now = options.now ?? (() => Date.now());
    const board = options.agents.board;
    this.pool = {
      isAvailable: (u, q) => board.isAvailable(u, q),
      isStaffing: (u, q) => board.staffs(u, q),
      extensionOf: (u) => board.extensionOf(u),
      idleSince: (u) => board.idleSince(u),
      reserve: (u, c) => {
        const reserved = board.reserve(u, c);
        if (reserved) this.availabilityMayHaveChanged(u);
        return reserved;
      },
      release: (u, c) => board.release(u, c),
      answered: (u, q, c) =>
        options.agents.presence.apply({ change: 'joined', callId: c, userId: u, queueId: q }),
      autoPause: (u, q) => options.agents.autoPause(u, q),
    };
    board.onAvailable((userId) => {
      this.availabilityMayHaveChanged(userId);
      this.agentMayBeFree(userId);
    });
    board.onStatusChange((a) => {
      this.availabilityMayHaveChanged(a.userId);
      for (const d of this.dispatchers.values()) if (d.isMember(a.userId)) d.leaveIfUnstaffed();
    });
  }

  setOfferPort(port: AgentOfferPort): void {
    this.offerPort = {
      offer: (offer) => {
        // An offer made while handling this agent's free event is the decision that event caused.
        const f = this.freeing;
        if (f && f.userId === offer.userId) this.recordDecision(performance.now() - f.at);
        return port.offer(offer);
      },
      cancel: (offer) => port.cancel(offer),
    };
  }

  /**
   * Delivery decision latency: an agent became free (call ended, wrap-up over, unpaused, offer
   * released) → the offer of a waiting call handed to the switch, in ms; the last 10,000 decisions.
   */
  deliveryDecisionsMs(): number[] {
    return [...this.decisionMs];
  }

  private recordDecision(ms: number): void {
    if (this.decisionMs.length >= 10_000) this.decisionMs.shift();
    this.decisionMs.push(ms);
  }
  setCallPort(port: QueueCallPort): void {
    this.callPort = port;
  }
  /** Who calls a callback placeholder's customer back (the queued-callback service). */
  setCallbackPort(port: CallbackPort): void {
    this.callbackPort = port;
    for (const d of this.dispatchers.values()) d.poke();
  }

  async start(): Promise<void> {
    await this.reload();
    const every = this.options.reloadMs ?? 30_000;
    if (every > 0) {
      this.reloadTimer = setInterval(() => {
        Promise.all([this.options.agents.reload(), this.reload()]).catch((err) =>
          this.options.logger.warn({ err }, 'queue reload failed'),
        );
      }, every);
      this.reloadTimer.unref();
    }
  }

  stop(): void {
    if (this.reloadTimer) clearInterval(this.reloadTimer);
    for (const d of this.dispatchers.values()) d.dispose();
  }

  /** Re-reads queue settings and members; waiting calls stay where they are. */
  async reload(): Promise<void> {
    const { db } = this.options;
    const [queues, members] = await Promise.all([
      db.selectFrom('queues').selectAll().execute(),
      db.selectFrom('queue_members').select(['queue_id', 'user_id', 'penalty']).orderBy('user_id').execute(),
    ]);
    const seen = new Set<number>();
    for (const q of queues) {
      seen.add(q.id);
      const config: QueueConfig = {
        id: q.id,
        name: q.name,
        strategy: q.strategy,
        ringTimeoutS: q.ring_timeout_s,
        retryDelayS: q.retry_delay_s,
        wrapupS: q.wrapup_s,
        maxNoAnswer: q.max_no_answer,
        maxWaitS: q.max_wait_s,
        overflow: overflowOf(q.overflow_type, q.overflow_target),
        maxLength: q.max_length,
        serviceLevelS: q.service_level_s,
        announceIntervalS: q.announce_interval_s,
        holdMusic: q.hold_music,
        virtualHold:
          q.virtual_hold === 1
            ? {
                thresholdS: q.virtual_hold_threshold_s,
                mode: q.virtual_hold_mode,
                maxAttempts: q.virtual_hold_max_attempts,
                retryDelayS: q.virtual_hold_retry_s,
              }
            : null,
      };
      const queueMembers: QueueMember[] = members
        .filter((m) => m.queue_id === q.id)
        .map((m) => ({ userId: m.user_id, penalty: m.penalty }));
      const existing = this.dispatchers.get(q.id);
      if (existing) {
        existing.setConfig(config);
        existing.setMembers(queueMembers);
      } else {
        this.dispatchers.set(
          q.id,
          new QueueDispatcher(config, queueMembers, this.pool, () => this.offerPort, this.listener, {
            callbacks: () => this.callbackPort,
          }),
        );
      }
    }
    for (const [id, d] of this.dispatchers) {
      // A deleted queue with callers still waiting keeps serving them until they leave.
      if (!seen.has(id) && d.waitingCount === 0) {
        d.dispose();
        this.dispatchers.delete(id);
      }
    }
  }

  // --- the switch --------------------------------------------------------------------------------

  /** A caller enters a queue (inbound route target). 'full' has already been handed to the call port. */
  enqueue(queueId: number, call: QueueCall): EnqueueOutcome {
    const d = this.dispatchers.get(queueId);
    if (!d) return 'no_such_queue';
    return d.enqueue(call);
  }

  /**
   * A callback placeholder taken back into its queue (after a restart, or from a node that stopped)
   * at its original arrival; `notBefore` holds its next dial back, `byArrival` puts it among the
   * callers already waiting by when each joined. False when the queue is gone or it is already there.
   */
  restorePlaceholder(
    queueId: number,
    call: QueueCall,
    joinedAt: number,
    notBefore: number,
    byArrival = false,
  ): boolean {
    const d = this.dispatchers.get(queueId);
    if (!d || d.has(call.callId)) return false;
    return d.enqueue(call, joinedAt, notBefore, byArrival) === 'queued';
  }

  /** `call` takes the place of the waiting `callId` (dispatcher.ts `replace`). */
  replace(queueId: number, callId: string, call: QueueCall): boolean {
    return this.dispatchers.get(queueId)?.replace(callId, call) ?? false;
  }

  /** The dialer is done with a served callback placeholder. */
  callbackServed(queueId: number, callId: string, served: CallbackServed): boolean {
    return this.dispatchers.get(queueId)?.callbackServed(callId, served) ?? false;
  }

  /** The caller hung up or the call was lost: it leaves whichever queue it waits in. */
  hangup(callId: string): boolean {
    for (const d of this.dispatchers.values()) if (d.hangup(callId)) return true;
    return false;
  }

  /** Where a call waits now (it may have overflowed from the queue it arrived in). */
  whereWaiting(callId: string): { queueId: number; position: number; config: QueueConfig } | null {
    for (const d of this.dispatchers.values()) {
      const position = d.position(callId);
      if (position !== null) return { queueId: d.queueId, position, config: d.queueConfig };
    }
    return null;
  }

  /** Expected wait (s) of the caller at `position` in this queue, from its recent answered calls (expected-wait.ts). */
  async expectedWaitS(queueId: number, position: number): Promise<number | null> {
    const now = this.now();
    let cached = this.recentAnswers.get(queueId);
    if (!cached || now - cached.at > 5000) {
      const calls = this.options.db
        .selectFrom('calls')
        .select(['started_at', 'answered_at'])
        .where('queue_id', '=', queueId)
        .where('answered_at', '>=', now - EXPECTED_WAIT_WINDOW_MS)
        .orderBy('answered_at', 'desc')
        .limit(EXPECTED_WAIT_SAMPLE)
        .execute()
        .then((rows) => rows.map((r) => ({ startedAt: r.started_at, answeredAt: r.answered_at! })));
      cached = { at: now, calls };
      this.recentAnswers.set(queueId, cached);
      calls.catch(() => this.recentAnswers.delete(queueId));
    }
    return expectedWaitS(position, await cached.calls, now);
  }

  // --- the API -----------------------------------------------------------------------------------

  dispatcher(queueId: number): QueueDispatcher | undefined {
    return this.dispatchers.get(queueId);
  }

  waiting(queueId: number): WaitingSnapshot[] {
    return this.dispatchers.get(queueId)?.snapshot() ?? [];
  }

  waitingCount(queueId: number): number {
    return this.dispatchers.get(queueId)?.waitingCount ?? 0;
  }

  longestWaitS(queueId: number): number {
    const oldest = this.dispatchers.get(queueId)?.oldestJoinedAt ?? null;
    return oldest === null ? 0 : Math.max(0, Math.floor((this.now() - oldest) / 1000));
  }

  /** Members who would be offered a call right now. */
  agentsAvailable(queueId: number): number {
    const d = this.dispatchers.get(queueId);
    if (!d) return 0;
    return d.memberIds().filter((u) => this.pool.isAvailable(u, queueId)).length;
  }

  move(queueId: number, callId: string, move: 'up' | 'down' | 'top'): number | null {
    return this.dispatchers.get(queueId)?.move(callId, move) ?? null;
  }

  assign(queueId: number, callId: string, userId: number): AssignResult {
    return this.dispatchers.get(queueId)?.assign(callId, userId) ?? 'no_such_call';
  }

  // ---------------------------------------------------------------------------------------------

  /** The last `agentsAvailable` published per queue. */
  private readonly publishedAvailable = new Map<number, number>();

  /** Publishes `queue_agents` for each of the agent's queues whose available count changed. */
  private availabilityMayHaveChanged(userId: number): void {
    for (const [queueId, d] of this.dispatchers) {
      if (!d.isMember(userId)) continue;
      const available = this.agentsAvailable(queueId);
      if (this.publishedAvailable.get(queueId) === available) continue;
      this.publishedAvailable.set(queueId, available);
      this.options.events.publish(
        { type: 'queue_agents', queueId, agentsAvailable: available, at: this.now() },
        { userIds: d.memberIds(), minRole: 'supervisor' },
      );
    }
  }

  /** Serves the queue whose next caller has waited longest first, so an agent in several queues is fair to all. */
  private agentMayBeFree(userId: number): void {
    const outer = this.freeing;
    this.freeing = { userId, at: performance.now() };
    try {
      const queues = [...this.dispatchers.values()]
        .filter((d) => d.waitingCount > 0 && d.isMember(userId))
        .sort((a, b) => (a.oldestJoinedAt ?? 0) - (b.oldestJoinedAt ?? 0));
      for (const d of queues) d.poke();
    } finally {
      this.freeing = outer;
    }
  }

  private readonly listener: DispatcherListener = {
    waitingChanged: (queueId, call, change, position) => {
      const d = this.dispatchers.get(queueId);
      this.options.events.publish(
        {
          type: 'queue_waiting',
          queueId,
          callId: call.callId,
          change,
          callerNumber: call.callerNumber,
          position,
          waiting: d?.waitingCount ?? 0,
          at: this.now(),
        },
        { userIds: d?.memberIds() ?? [], minRole: 'supervisor' },
      );
    },
    overflow: (call, fromQueueId, target, reason) => {
      let effective: OverflowTarget = target;
      if (target.type === 'queue') {
        const next = this.dispatchers.get(target.queueId);
        const cfg = next?.queueConfig;
        // Into the target queue unless it is this queue, unknown, or full (no overflow chains).
        if (
          !next ||
          target.queueId === fromQueueId ||
          (cfg!.maxLength > 0 && next.waitingCount >= cfg!.maxLength)
        ) {
          effective = { type: 'hangup' };
        } else {
          // The flow's exits were for the queue it chose; the next one is the queue's own rule.
          const { leave: _flowExits, ...plain } = call;
          next.enqueue(plain);
        }
      }
      try {
        this.callPort.overflow(call, fromQueueId, effective, reason);
      } catch (err) {
        this.options.logger.error({ err, callId: call.callId }, 'queue overflow handler failed');
      }
    },
    left: (call, fromQueueId, reason) => {
      try {
        if (this.callPort.leave) this.callPort.leave(call, fromQueueId, reason);
        else this.callPort.overflow(call, fromQueueId, { type: 'hangup' }, 'max_wait');
      } catch (err) {
        this.options.logger.error({ err, callId: call.callId }, 'queue overflow handler failed');
      }
    },
  };
}

function overflowOf(type: 'queue' | 'extension' | 'hangup' | null, target: string | null): OverflowTarget {
  if (type === 'queue' && target && /^\d+$/.test(target)) return { type: 'queue', queueId: Number(target) };
  if (type === 'extension' && target) return { type: 'extension', extension: target };
  return { type: 'hangup' };
}
