import type {
  AgentOffer,
  AgentOfferPort,
  AgentPool,
  CallbackPort,
  OfferResult,
  OverflowTarget,
  QueueCall,
  QueueConfig,
  QueueLeaveReason,
  QueueMember,
} from './types';

/**
 * `callback`: the caller left and a callback placeholder holds their place (the same position);
 * `dropped`: a placeholder whose dials all failed left the list.
 */
export type WaitingChange =
  | 'joined'
  | 'moved'
  | 'ringing'
  | 'answered'
  | 'abandoned'
  | 'overflow'
  | 'callback'
  | 'dropped';

export interface WaitingSnapshot {
  call: QueueCall;
  joinedAt: number;
  /** 1 = served next. */
  position: number;
  ringing: number[];
}

export interface DispatcherListener {
  waitingChanged(queueId: number, call: QueueCall, change: WaitingChange, position: number | null): void;
  /** The call left this queue without an agent (the service routes `queue` targets, the switch the rest). */
  overflow(call: QueueCall, fromQueueId: number, target: OverflowTarget, reason: 'max_wait' | 'full'): void;
  /** The call left by one of its flow exits (`QueueCall.leave`): back to its flow. */
  left(call: QueueCall, fromQueueId: number, reason: QueueLeaveReason): void;
}

export interface DispatcherOptions {
  now?: () => number;
  random?: () => number;
  /** A failed round never re-rings sooner than this (ms), even with retry_delay_s 0. */
  minRetryMs?: number;
  /** Who calls a callback placeholder's customer back when it is served. */
  callbacks?: () => CallbackPort | null;
}

/** What became of a served callback placeholder (the live call replacing it goes through `replace`). */
export type CallbackServed =
  | { result: 'connected' }
  | { result: 'retry'; notBefore: number }
  | { result: 'dropped' };

interface Offer {
  offer: AgentOffer;
  timer: ReturnType<typeof setTimeout> | null;
  done: boolean;
  claimed: boolean;
}

interface Entry {
  call: QueueCall;
  joinedAt: number;
  /** Agents who declined or missed this call since the last time every available agent had been tried. */
  tried: Set<number>;
  /** Agents who declined this call: they said no to it, so later rounds pass them by. */
  declined: Set<number>;
  offers: Map<number, Offer>;
  notBefore: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
  maxWaitTimer: ReturnType<typeof setTimeout> | null;
  gone: boolean;
  /** A callback placeholder being served: the agent reserved for it while the dialer calls. */
  serving: number | null;
}

export type EnqueueResult = 'queued' | 'full' | 'no_agents';
export type AssignResult = 'offered' | 'no_such_call' | 'unavailable';

/**
 * One queue's delivery decisions, driven by events only: a call arrives (`enqueue`), an
 * agent may have become free (`poke`), a timer fires (ring timeout, retry delay, max wait), an offer
 * settles. No SIP here: ringing goes through `AgentOfferPort`, agents through `AgentPool`.
 *
 * Invariants: every offer ends exactly once (answered, declined, no answer, failed, cancelled,
 * timed out) and always releases the agent's reservation; a call leaves the list exactly once.
 */
export class QueueDispatcher {
  private readonly list: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  private members: QueueMember[] = [];
  private rrLast: number | null = null;
  private readonly answeredCount = new Map<number, number>();
  private readonly misses = new Map<number, number>();
  private pumping = false;
  private pumpAgain = false;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly minRetryMs: number;
  private readonly callbacks: () => CallbackPort | null;
  private disposed = false;

  constructor(
    private config: QueueConfig,
    members: QueueMember[],
    private readonly pool: AgentPool,
    private readonly port: () => AgentOfferPort,
    private readonly listener: DispatcherListener,
    options: DispatcherOptions = {},
  ) {
    this.members = [...members];
    this.now = options.now ?? (() => Date.now());
    this.random = options.random ?? Math.random;
    this.minRetryMs = options.minRetryMs ?? 1000;
    this.callbacks = options.callbacks ?? (() => null);
  }

  get queueId(): number {
    return this.config.id;
  }
  get queueConfig(): QueueConfig {
    return this.config;
  }
  get waitingCount(): number {
    return this.list.length;
  }
  /** When the call served next arrived (null when nobody waits): the service serves the oldest queue first. */
  get oldestJoinedAt(): number | null {
    let oldest: number | null = null;
    for (const e of this.list) if (oldest === null || e.joinedAt < oldest) oldest = e.joinedAt;
    return oldest;
  }
  memberIds(): number[] {
    return this.members.map((m) => m.userId);
  }
  isMember(userId: number): boolean {
    return this.members.some((m) => m.userId === userId);
  }
  /** Calls answered per agent in this queue since start (fewest-calls). */
  answeredBy(userId: number): number {
    return this.answeredCount.get(userId) ?? 0;
  }

  setConfig(config: QueueConfig): void {
    const rearm = config.maxWaitS !== this.config.maxWaitS;
    this.config = config;
    if (rearm) for (const e of this.list) this.armMaxWait(e);
    this.pump();
  }

  setMembers(members: QueueMember[]): void {
    this.members = [...members];
    this.leaveIfUnstaffed();
    this.pump();
  }

  /** Some member is signed in and not paused for this queue (the `no agents` rule of flow callers). */
  get staffed(): boolean {
    const staffs = this.pool.isStaffing ?? this.pool.isAvailable;
    return this.members.some((m) => staffs.call(this.pool, m.userId, this.config.id));
  }

  /**
   * The last agent left (signed out, paused, removed): callers whose flow has a `no agents` exit
   * go back to their flow. The others wait, as the queue itself has no such rule.
   */
  leaveIfUnstaffed(): void {
    if (!this.list.some((e) => e.call.leave?.noAgents) || this.staffed) return;
    for (const entry of this.list.filter((e) => e.call.leave?.noAgents)) {
      this.remove(entry, 'overflow');
      this.listener.left(entry.call, this.config.id, 'no_agents');
    }
  }

  /** A caller joins the end of the queue. `joinedAt` keeps the original arrival for an overflowed call. */
  /**
   * `byArrival`: the call goes before the first caller who joined after it (a placeholder taken over
   * from a node that stopped keeps its place among the callers waiting here); else at the end.
   */
  enqueue(call: QueueCall, joinedAt = this.now(), notBefore = 0, byArrival = false): EnqueueResult {
    if (this.byId.has(call.callId))
      throw new Error(`call ${call.callId} is already waiting in queue ${this.config.id}`);
    // A placeholder put back after a restart was already admitted; the length limit is for arrivals.
    if (!call.callback && this.config.maxLength > 0 && this.list.length >= this.config.maxLength) {
      // A flow's wired `full` exit takes the caller instead of the queue's overflow target.
      if (!call.leave?.full) this.listener.overflow(call, this.config.id, this.config.overflow, 'full');
      return 'full';
    }
    if (call.leave?.noAgents && !this.staffed) return 'no_agents';
    const entry: Entry = {
      call,
      joinedAt,
      tried: new Set(),
      declined: new Set(),
      offers: new Map(),
      notBefore,
      retryTimer: null,
      maxWaitTimer: null,
      gone: false,
      serving: null,
    };
    const later = byArrival ? this.list.findIndex((e) => e.joinedAt > joinedAt) : -1;
    if (later >= 0) this.list.splice(later, 0, entry);
    else this.list.push(entry);
    this.byId.set(call.callId, entry);
    if (notBefore > this.now()) this.armRetry(entry, notBefore - this.now());
    this.armMaxWait(entry);
    this.listener.waitingChanged(this.config.id, call, 'joined', later >= 0 ? later + 1 : this.list.length);
    this.pump();
    return 'queued';
  }

  /** The caller hung up (or the switch lost the call): it leaves the list, ringing agents are cancelled. */
  hangup(callId: string): boolean {
    const entry = this.byId.get(callId);
    if (!entry) return false;
    this.remove(entry, 'abandoned');
    this.pump();
    return true;
  }

  has(callId: string): boolean {
    return this.byId.has(callId);
  }

  /** 1 = served next; null when the call is not waiting here. */
  position(callId: string): number | null {
    const entry = this.byId.get(callId);
    return entry ? this.positionOf(entry) : null;
  }

  /** Service order: index 0 is served next. */
  snapshot(): WaitingSnapshot[] {
    return this.list.map((e, i) => ({
      call: e.call,
      joinedAt: e.joinedAt,
      position: i + 1,
      ringing: e.serving !== null ? [e.serving] : [...e.offers.keys()],
    }));
  }

  /**
   * Puts `call` in the place of the waiting `callId`, keeping its position and arrival time: a
   * caller leaving for a callback placeholder, or the called-back customer taking the placeholder's
   * place. Offers of the old call are cancelled; an agent reserved for a placeholder is released
   * after the swap, so the customer who replaces it is served first. False when `callId` is gone.
   */
  replace(callId: string, call: QueueCall): boolean {
    const entry = this.byId.get(callId);
    if (!entry || this.byId.has(call.callId)) return false;
    const position = this.positionOf(entry);
    for (const o of [...entry.offers.values()]) this.endOffer(entry, o, true);
    this.clearTimers(entry);
    const old = entry.call;
    const reserved = entry.serving;
    this.byId.delete(callId);
    entry.call = call;
    entry.serving = null;
    entry.notBefore = 0;
    entry.tried.clear();
    entry.declined.clear();
    this.byId.set(call.callId, entry);
    // Neither a placeholder nor a customer already called back overflows for having waited.
    this.listener.waitingChanged(this.config.id, old, call.callback ? 'callback' : 'answered', null);
    this.listener.waitingChanged(this.config.id, call, 'joined', position);
    if (reserved !== null) this.pool.release(reserved, old.callId);
    this.pump();
    return true;
  }

  /** The dialer is done with a served placeholder: it leaves (connected, dropped) or waits again. */
  callbackServed(callId: string, served: CallbackServed): boolean {
    const entry = this.byId.get(callId);
    if (!entry?.call.callback) return false;
    const reserved = entry.serving;
    entry.serving = null;
    if (served.result === 'retry') {
      const delay = Math.max(0, served.notBefore - this.now());
      entry.notBefore = served.notBefore;
      this.armRetry(entry, delay);
      this.listener.waitingChanged(this.config.id, entry.call, 'moved', this.positionOf(entry));
    } else {
      this.remove(entry, served.result === 'connected' ? 'answered' : 'dropped');
    }
    if (reserved !== null) this.pool.release(reserved, callId);
    this.pump();
    return true;
  }

  /** Reorders the waiting list; returns the call's new position or null when it is not waiting. */
  move(callId: string, move: 'up' | 'down' | 'top'): number | null {
    const entry = this.byId.get(callId);
    if (!entry) return null;
    const from = this.list.indexOf(entry);
    const to =
      move === 'top' ? 0 : move === 'up' ? Math.max(0, from - 1) : Math.min(this.list.length - 1, from + 1);
    if (to !== from) {
      this.list.splice(from, 1);
      this.list.splice(to, 0, entry);
    }
    this.listener.waitingChanged(this.config.id, entry.call, 'moved', to + 1);
    this.pump();
    return to + 1;
  }

  /** Supervisor: ring this agent with this call now (ringing offers of the call are cancelled). */
  assign(callId: string, userId: number): AssignResult {
    const entry = this.byId.get(callId);
    if (!entry) return 'no_such_call';
    if (entry.offers.has(userId) || entry.serving === userId) return 'offered';
    if (entry.serving !== null || !this.pool.isAvailable(userId, this.config.id)) return 'unavailable';
    if (entry.call.callback) return this.serveCallback(entry, userId) ? 'offered' : 'unavailable';
    const others = [...entry.offers.values()];
    // Reserve the chosen agent first, so the agents released below cannot take the call meanwhile.
    if (!this.startOffer(entry, userId)) return 'unavailable';
    for (const o of others) this.endOffer(entry, o, true);
    return 'offered';
  }

  /** Something changed for the agents (free, idle, registered): look for deliveries. */
  poke(): void {
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    for (const e of [...this.list]) {
      this.list.splice(this.list.indexOf(e), 1);
      this.byId.delete(e.call.callId);
      e.gone = true;
      this.clearTimers(e);
      for (const o of [...e.offers.values()]) this.endOffer(e, o, true);
      if (e.serving !== null) this.pool.release(e.serving, e.call.callId);
      e.serving = null;
    }
  }

  // ---------------------------------------------------------------------------------------------

  private pump(): void {
    if (this.disposed) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const now = this.now();
        for (const entry of [...this.list]) {
          if (entry.gone || entry.offers.size > 0 || entry.serving !== null || now < entry.notBefore)
            continue;
          if (entry.call.callback) {
            // One agent is kept for the customer while the dialer calls them, whatever the strategy.
            for (const userId of this.pick(entry)) if (this.serveCallback(entry, userId)) break;
            continue;
          }
          for (const userId of this.pick(entry)) {
            if (entry.gone) break;
            this.startOffer(entry, userId);
          }
        }
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  private pick(entry: Entry): number[] {
    const queueId = this.config.id;
    const available = this.members.filter(
      (m) =>
        !entry.offers.has(m.userId) &&
        !entry.declined.has(m.userId) &&
        this.pool.isAvailable(m.userId, queueId),
    );
    if (available.length === 0) return [];
    let candidates = available.filter((m) => !entry.tried.has(m.userId));
    if (candidates.length === 0) {
      // Every available agent had this call: start a new round.
      entry.tried.clear();
      candidates = available;
    }
    const tier = Math.min(...candidates.map((m) => m.penalty));
    candidates = candidates.filter((m) => m.penalty === tier);
    const idle = (m: QueueMember) => this.pool.idleSince(m.userId);
    switch (this.config.strategy) {
      case 'ring-all':
        return candidates.map((m) => m.userId);
      case 'random':
        return [
          candidates[Math.min(candidates.length - 1, Math.floor(this.random() * candidates.length))]!.userId,
        ];
      case 'fewest-calls':
        return [
          minBy(
            candidates,
            (a, b) => this.answeredBy(a.userId) - this.answeredBy(b.userId) || idle(a) - idle(b),
          ).userId,
        ];
      case 'round-robin': {
        const order = this.members.map((m) => m.userId);
        const last = this.rrLast === null ? -1 : order.indexOf(this.rrLast);
        const ids = new Set(candidates.map((m) => m.userId));
        for (let i = 1; i <= order.length; i++) {
          const id = order[(last + i + order.length) % order.length]!;
          if (ids.has(id)) return [id];
        }
        return [candidates[0]!.userId];
      }
      default:
        return [minBy(candidates, (a, b) => idle(a) - idle(b)).userId];
    }
  }

  private startOffer(entry: Entry, userId: number): boolean {
    const extension = this.pool.extensionOf(userId);
    if (extension === null || !this.pool.reserve(userId, entry.call.callId)) return false;
    const o: Offer = { timer: null, done: false, claimed: false, offer: undefined as unknown as AgentOffer };
    o.offer = {
      call: entry.call,
      queueId: this.config.id,
      userId,
      extension,
      ringTimeoutMs: Math.max(1, this.config.ringTimeoutS) * 1000,
      claim: () => this.claim(entry, o),
    };
    entry.offers.set(userId, o);
    if (this.config.strategy === 'round-robin') this.rrLast = userId;
    o.timer = setTimeout(() => this.settle(entry, o, 'no_answer', true), o.offer.ringTimeoutMs);
    this.listener.waitingChanged(this.config.id, entry.call, 'ringing', this.positionOf(entry));
    let result: Promise<OfferResult>;
    try {
      result = Promise.resolve(this.port().offer(o.offer));
    } catch {
      result = Promise.resolve('failed');
    }
    result.then(
      (r) => this.settle(entry, o, r, false),
      () => this.settle(entry, o, 'failed', false),
    );
    return true;
  }

  /** Reserves the agent for a placeholder and asks for the customer to be called. */
  private serveCallback(entry: Entry, userId: number): boolean {
    const port = this.callbacks();
    if (!port || !this.pool.reserve(userId, entry.call.callId)) return false;
    entry.serving = userId;
    this.listener.waitingChanged(this.config.id, entry.call, 'ringing', this.positionOf(entry));
    try {
      port.serve(entry.call, this.config.id, userId);
    } catch {
      entry.serving = null;
      this.pool.release(userId, entry.call.callId);
      return false;
    }
    return true;
  }

  private claim(entry: Entry, o: Offer): boolean {
    if (o.claimed) return true;
    if (o.done || entry.gone) return false;
    o.claimed = true;
    o.done = true;
    if (o.timer) clearTimeout(o.timer);
    entry.offers.delete(o.offer.userId);
    const { userId } = o.offer;
    this.misses.set(userId, 0);
    this.answeredCount.set(userId, this.answeredBy(userId) + 1);
    // On call before anything else is released, so no pump in between can offer them another call.
    this.pool.answered(userId, this.config.id, entry.call.callId);
    this.remove(entry, 'answered');
    this.pump();
    return true;
  }

  private settle(entry: Entry, o: Offer, result: OfferResult, byTimeout: boolean): void {
    if (result === 'answered') {
      if (this.claim(entry, o)) return;
      // Answered too late (caller gone, taken by another agent, timed out): drop the agent's leg.
      if (!byTimeout) this.safeCancel(o.offer);
      if (!o.done) this.endOffer(entry, o, false);
      return;
    }
    if (o.done) return;
    // Record the outcome before the agent is released: releasing re-runs delivery at once.
    const { userId } = o.offer;
    entry.tried.add(userId);
    if (result === 'declined') entry.declined.add(userId);
    if (!entry.gone && entry.offers.size === 1) this.scheduleRetry(entry);
    if (result === 'no_answer') {
      const misses = (this.misses.get(userId) ?? 0) + 1;
      this.misses.set(userId, misses);
      if (this.config.maxNoAnswer > 0 && misses >= this.config.maxNoAnswer) {
        this.misses.set(userId, 0);
        this.pool.autoPause(userId, this.config.id);
      }
    }
    this.endOffer(entry, o, byTimeout);
    this.pump();
  }

  /** Ends an offer that did not win: stops its timer, optionally tells the switch, frees the agent. */
  private endOffer(entry: Entry, o: Offer, cancel: boolean): void {
    if (o.done) return;
    o.done = true;
    if (o.timer) clearTimeout(o.timer);
    entry.offers.delete(o.offer.userId);
    if (cancel) this.safeCancel(o.offer);
    this.pool.release(o.offer.userId, entry.call.callId);
  }

  private safeCancel(offer: AgentOffer): void {
    try {
      this.port().cancel(offer);
    } catch {
      // The port must not throw; a broken cancel never leaves the agent reserved.
    }
  }

  private scheduleRetry(entry: Entry): void {
    const delay = Math.max(this.minRetryMs, this.config.retryDelayS * 1000);
    entry.notBefore = this.now() + delay;
    this.armRetry(entry, delay);
  }

  private armRetry(entry: Entry, delay: number): void {
    if (entry.retryTimer) clearTimeout(entry.retryTimer);
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = null;
      this.pump();
    }, delay);
  }

  private armMaxWait(entry: Entry): void {
    if (entry.maxWaitTimer) clearTimeout(entry.maxWaitTimer);
    entry.maxWaitTimer = null;
    const maxWaitS = entry.call.leave?.maxWaitS ?? this.config.maxWaitS;
    if (maxWaitS <= 0 || entry.call.callback) return;
    const delay = Math.max(0, entry.joinedAt + maxWaitS * 1000 - this.now());
    entry.maxWaitTimer = setTimeout(() => {
      entry.maxWaitTimer = null;
      if (entry.gone) return;
      this.remove(entry, 'overflow');
      if (entry.call.leave?.maxWait) this.listener.left(entry.call, this.config.id, 'max_wait');
      else this.listener.overflow(entry.call, this.config.id, this.config.overflow, 'max_wait');
      this.pump();
    }, delay);
  }

  private remove(entry: Entry, change: WaitingChange): void {
    if (entry.gone) return;
    entry.gone = true;
    const i = this.list.indexOf(entry);
    if (i >= 0) this.list.splice(i, 1);
    this.byId.delete(entry.call.callId);
    this.clearTimers(entry);
    for (const o of [...entry.offers.values()]) this.endOffer(entry, o, true);
    if (entry.serving !== null) this.pool.release(entry.serving, entry.call.callId);
    entry.serving = null;
    this.listener.waitingChanged(this.config.id, entry.call, change, null);
  }

  private clearTimers(entry: Entry): void {
    if (entry.retryTimer) clearTimeout(entry.retryTimer);
    if (entry.maxWaitTimer) clearTimeout(entry.maxWaitTimer);
    entry.retryTimer = null;
    entry.maxWaitTimer = null;
  }

  private positionOf(entry: Entry): number | null {
    const i = this.list.indexOf(entry);
    return i < 0 ? null : i + 1;
  }
}

function minBy<T>(items: T[], compare: (a: T, b: T) => number): T {
  let best = items[0] as T;
  for (const item of items.slice(1)) if (compare(item, best) < 0) best = item;
  return best;
}
