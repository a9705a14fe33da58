import type { AgentStatus } from '@switchboard/shared';

export interface QueuePause {
  reason: string;
  at: number;
}

export interface Membership {
  penalty: number;
  paused: QueuePause | null;
}

export interface AgentRecord {
  userId: number;
  extension: string | null;
  loggedIn: boolean;
  /** queueId → membership (penalty, pause). */
  queues: Map<number, Membership>;
  /** The pause of an agent who is in no queue (agent_states); ignored while they have queues. */
  basePause: QueuePause | null;
  onCall: { callId: string | null; queueId: number | null } | null;
  wrapUntil: number | null;
  wrapTimer: ReturnType<typeof setTimeout> | null;
  /** The queue call being wrapped up, and whether the agent has picked its disposition code. */
  wrapCall: WrapCall | null;
  /** The queue call this agent is being rung for (one offer at a time, across all queues). */
  reservedFor: string | null;
  idleSince: number;
  /** Derived status last reported, and since when. */
  status: AgentStatus;
  reason: string | null;
  since: number;
  /** The queue of the last answered queue call (wrap-up length). */
  lastQueueId: number | null;
}

export interface WrapCall {
  callId: string | null;
  queueId: number;
  coded: boolean;
}

export interface BoardOptions {
  isRegistered(extension: string): boolean;
  /** Wrap-up seconds of a queue (markWrapUp without seconds after a queue call). */
  wrapupFor(queueId: number): number;
  /** The queue's agents stay in wrap-up until they pick a disposition code. */
  codeRequiredFor?(queueId: number): boolean;
  now?: () => number;
}

type StatusListener = (agent: AgentRecord) => void;
type AvailableListener = (userId: number) => void;

/**
 * Every agent's live state in memory: logged in, per-queue pauses, on call, wrap-up, ringing. Pure:
 * the AgentStateService persists what it reports and publishes the events.
 */
export class AgentBoard {
  private readonly agents = new Map<number, AgentRecord>();
  private readonly statusListeners = new Set<StatusListener>();
  private readonly availableListeners = new Set<AvailableListener>();
  private readonly now: () => number;

  constructor(private readonly options: BoardOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  onStatusChange(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
  /** The agent may have become deliverable (freed, idle again, logged in, registered). */
  onAvailable(listener: AvailableListener): () => void {
    this.availableListeners.add(listener);
    return () => this.availableListeners.delete(listener);
  }

  get(userId: number): AgentRecord | undefined {
    return this.agents.get(userId);
  }
  all(): AgentRecord[] {
    return [...this.agents.values()];
  }

  /** Adds or refreshes an agent from storage; runtime state (calls, ringing) is kept on refresh. */
  load(init: {
    userId: number;
    extension: string | null;
    loggedIn: boolean;
    queues: Map<number, Membership>;
    basePause: QueuePause | null;
    since: number;
  }): AgentRecord {
    const existing = this.agents.get(init.userId);
    if (existing) {
      existing.extension = init.extension;
      existing.queues = init.queues;
      this.refresh(existing);
      return existing;
    }
    const rec: AgentRecord = {
      ...init,
      onCall: null,
      wrapUntil: null,
      wrapTimer: null,
      wrapCall: null,
      reservedFor: null,
      idleSince: init.since,
      status: 'logged_out',
      reason: null,
      since: init.since,
      lastQueueId: null,
    };
    const derived = this.derive(rec);
    rec.status = derived.status;
    rec.reason = derived.reason;
    this.agents.set(rec.userId, rec);
    return rec;
  }

  remove(userId: number): void {
    const rec = this.agents.get(userId);
    if (rec?.wrapTimer) clearTimeout(rec.wrapTimer);
    this.agents.delete(userId);
  }

  userForExtension(extension: string): number | null {
    for (const a of this.agents.values()) if (a.extension === extension) return a.userId;
    return null;
  }

  // --- what the dispatcher asks -----------------------------------------------------------------

  isAvailable(userId: number, queueId: number): boolean {
    const a = this.agents.get(userId);
    if (!a?.loggedIn || a.onCall || a.wrapUntil !== null || a.reservedFor !== null) return false;
    if (a.extension === null || !this.options.isRegistered(a.extension)) return false;
    const m = a.queues.get(queueId);
    if (m) return m.paused === null;
    // Not a member (a supervisor sends a call to them): only when not paused overall.
    return this.derive(a).status !== 'paused';
  }
  /**
   * Free for a call of no particular queue (an outbound campaign's): signed in, Idle (not paused
   * everywhere), not on a call, in wrap-up or held for an offer, and their phone registered.
   */
  isIdle(userId: number): boolean {
    const a = this.agents.get(userId);
    if (!a?.loggedIn || a.onCall || a.wrapUntil !== null || a.reservedFor !== null) return false;
    if (a.extension === null || !this.options.isRegistered(a.extension)) return false;
    return this.derive(a).status === 'idle';
  }
  /** The agent's phone is registered on this node (registrations are per node). */
  phoneHere(userId: number): boolean {
    const extension = this.agents.get(userId)?.extension ?? null;
    return extension !== null && this.options.isRegistered(extension);
  }
  /** Signed in and not paused for this queue; busy on a call or in wrap-up still counts. */
  staffs(userId: number, queueId: number): boolean {
    const a = this.agents.get(userId);
    if (!a?.loggedIn) return false;
    const m = a.queues.get(queueId);
    return m ? m.paused === null : this.derive(a).status !== 'paused';
  }
  extensionOf(userId: number): string | null {
    return this.agents.get(userId)?.extension ?? null;
  }
  idleSince(userId: number): number {
    return this.agents.get(userId)?.idleSince ?? 0;
  }
  reserve(userId: number, callId: string): boolean {
    const a = this.agents.get(userId);
    if (!a || a.reservedFor !== null) return false;
    a.reservedFor = callId;
    return true;
  }
  release(userId: number, callId: string): void {
    const a = this.agents.get(userId);
    if (!a || a.reservedFor !== callId) return;
    a.reservedFor = null;
    this.emitAvailable(userId);
  }

  // --- what the switch and the agent do ---------------------------------------------------------

  login(userId: number): void {
    const a = this.agents.get(userId);
    if (!a || a.loggedIn) return;
    a.loggedIn = true;
    a.idleSince = this.now();
    this.refresh(a);
    this.emitAvailable(userId);
  }

  logout(userId: number): void {
    const a = this.agents.get(userId);
    if (!a?.loggedIn) return;
    a.loggedIn = false;
    this.refresh(a);
  }

  /** Pauses or unpauses some queues (or all the agent's queues when `queueIds` is null). */
  setPaused(userId: number, queueIds: number[] | null, reason: string | null): void {
    const a = this.agents.get(userId);
    if (!a) return;
    const at = this.now();
    const pause = reason === null ? null : { reason, at };
    for (const [queueId, m] of a.queues) {
      if (queueIds === null || queueIds.includes(queueId)) m.paused = pause;
    }
    if (queueIds === null) a.basePause = pause;
    this.refresh(a);
    if (reason === null) this.emitAvailable(userId);
  }

  markOnCall(userId: number, info: { callId?: string | null; queueId?: number | null } = {}): void {
    const a = this.agents.get(userId);
    if (!a) return;
    if (a.wrapTimer) clearTimeout(a.wrapTimer);
    a.wrapTimer = null;
    a.wrapUntil = null;
    a.wrapCall = null;
    if (info.callId && a.reservedFor === info.callId) a.reservedFor = null;
    a.onCall = { callId: info.callId ?? null, queueId: info.queueId ?? null };
    if (info.queueId != null) a.lastQueueId = info.queueId;
    this.refresh(a);
  }

  /** The call ended: wrap-up for `seconds` (default: the wrap-up of the queue the call came from, else 0). */
  markWrapUp(userId: number, seconds?: number): void {
    const a = this.agents.get(userId);
    if (!a) return;
    const queueId = a.onCall?.queueId ?? null;
    const s = seconds ?? (queueId !== null ? this.options.wrapupFor(queueId) : 0);
    const codeRequired = queueId !== null && (this.options.codeRequiredFor?.(queueId) ?? false);
    // No wrap-up: free straight from the call, so markFree sees a busy agent and restarts their
    // idle time (longest-idle would otherwise keep choosing the agent who just hung up).
    if (!(s > 0) && !codeRequired) {
      this.markFree(userId);
      return;
    }
    a.wrapCall = queueId !== null ? { callId: a.onCall?.callId ?? null, queueId, coded: false } : null;
    a.onCall = null;
    this.startWrapTimer(a, Math.max(0, s) * 1000);
    this.refresh(a);
  }

  /** The agent picked the disposition code of the call they wrap up (a required code no longer holds them). */
  markWrapCoded(userId: number): void {
    const a = this.agents.get(userId);
    if (!a?.wrapCall) return;
    a.wrapCall.coded = true;
    // The timer ran out while the code was missing: the code was all that held the agent.
    if (a.wrapUntil !== null && a.wrapTimer === null) this.markFree(userId);
  }

  /** More wrap-up time, counted from the later of now and the current end. */
  extendWrapUp(userId: number, seconds: number): boolean {
    const a = this.agents.get(userId);
    if (!a || a.wrapUntil === null) return false;
    const now = this.now();
    this.startWrapTimer(a, Math.max(a.wrapUntil, now) - now + seconds * 1000);
    return true;
  }

  /** "Done": ends the wrap-up now. False when there is none, or a required code is still missing. */
  finishWrapUp(userId: number): boolean {
    const a = this.agents.get(userId);
    if (!a || a.wrapUntil === null || this.codeMissing(a)) return false;
    this.markFree(userId);
    return true;
  }

  /** A required disposition code not yet picked for the call being wrapped up. */
  codeMissing(a: AgentRecord): boolean {
    return (
      a.wrapCall !== null &&
      !a.wrapCall.coded &&
      (this.options.codeRequiredFor?.(a.wrapCall.queueId) ?? false)
    );
  }

  private startWrapTimer(a: AgentRecord, ms: number): void {
    if (a.wrapTimer) clearTimeout(a.wrapTimer);
    a.wrapUntil = this.now() + ms;
    a.wrapTimer = setTimeout(() => {
      a.wrapTimer = null;
      // A required code keeps the agent in wrap-up past the timer until they pick it.
      if (this.codeMissing(a)) return;
      this.markFree(a.userId);
    }, ms);
  }

  markFree(userId: number): void {
    const a = this.agents.get(userId);
    if (!a) return;
    if (a.wrapTimer) clearTimeout(a.wrapTimer);
    const wasBusy = a.onCall !== null || a.wrapUntil !== null;
    a.wrapTimer = null;
    a.wrapUntil = null;
    a.wrapCall = null;
    a.onCall = null;
    if (wasBusy) a.idleSince = this.now();
    this.refresh(a);
    this.emitAvailable(userId);
  }

  /**
   * Registration state changed: deliveries are re-checked. Registering does not sign the agent in
   * by itself; the AgentStateService applies the sign-in state.
   */
  registrationChanged(extension: string): number | null {
    const userId = this.userForExtension(extension);
    if (userId === null) return null;
    this.emitAvailable(userId);
    return userId;
  }

  dispose(): void {
    for (const a of this.agents.values()) if (a.wrapTimer) clearTimeout(a.wrapTimer);
  }

  // ---------------------------------------------------------------------------------------------

  derive(a: AgentRecord): { status: AgentStatus; reason: string | null } {
    if (!a.loggedIn) return { status: 'logged_out', reason: null };
    if (a.onCall) return { status: 'on_call', reason: null };
    if (a.wrapUntil !== null) return { status: 'wrapup', reason: null };
    if (a.queues.size === 0) {
      return a.basePause
        ? { status: 'paused', reason: a.basePause.reason }
        : { status: 'idle', reason: null };
    }
    let latest: QueuePause | null = null;
    for (const m of a.queues.values()) {
      if (!m.paused) return { status: 'idle', reason: null };
      if (!latest || m.paused.at >= latest.at) latest = m.paused;
    }
    return { status: 'paused', reason: latest?.reason ?? null };
  }

  private refresh(a: AgentRecord): void {
    const d = this.derive(a);
    if (d.status === a.status && d.reason === a.reason) return;
    a.status = d.status;
    a.reason = d.reason;
    a.since = this.now();
    for (const l of this.statusListeners) l(a);
  }

  private emitAvailable(userId: number): void {
    for (const l of this.availableListeners) l(userId);
  }
}
