import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database';
import type { Logger } from '../observability/logger';
import { type DialerClock, wallClock } from './dialer-clock';
import { type DialerJobRow, DialerJobStore, type DueJob, type NewDialerJob, toDueJob } from './job-store';
import { type DialerLimits, Pace } from './pacing';

export type { DueJob, NewDialerJob } from './job-store';
export type { DialerLimits } from './pacing';

/** What a handler tells the dialer after one dial. */
export interface DialResult {
  /** Recorded in the attempt history: `answered`, `busy`, `no_answer`, `failed`, `do_not_call`… */
  outcome: string;
  /** Dial again at this time (a retry); absent: the job is done. */
  retryAt?: number | null;
  /** false: nothing was dialled worth a line in the history (the job was moot, or waits for hours). */
  record?: boolean;
  /**
   * The subject's own writes that follow from this outcome (a plan closed, a counter moved): run in
   * the transaction that records the attempt, and only while this node still holds the job, so the
   * subject and its history never disagree, not even for a moment.
   */
  commit?: (tx: Db) => Promise<void>;
}

export interface DialContext {
  /**
   * Call this with the call's id before originating its first leg. It records that this job may
   * have rung someone from now on; false means another node took the job over: do not dial.
   */
  placing(callId: number): Promise<boolean>;
  now(): number;
}

/** Places one job's call (a call script) and says how it went. */
export interface DialHandler {
  dial(job: DueJob, ctx: DialContext): Promise<DialResult>;
  /**
   * A node died while this job's call was up: it is not dialled again by the dialer. The handler
   * writes what follows for the job's subject on `tx`, the transaction that marks the job
   * `interrupted`; what it returns runs once that has committed (in-memory effects).
   */
  interrupted?(job: DueJob, tx: Db): Promise<(() => void) | undefined>;
}

export interface DialerOptions {
  nodeId?: string;
  limits?: Partial<DialerLimits>;
  clock?: DialerClock;
  /** A node that stops renewing loses its jobs to others after this long. */
  leaseMs?: number;
  /** How often to look for work another node added or a dead node left (PostgreSQL). */
  pollMs?: number;
  logger?: Logger;
  /**
   * Reads the node caps in force (the dialing policy's pacing) at each lease renewal, so a change
   * made on another node reaches this one; null: the configured caps.
   */
  loadNodeLimits?(): Promise<{ callsPerSecond: number; maxConcurrent: number } | null>;
  /** Each trunk's own caps, read with the node's (another node may have edited a trunk). */
  loadTrunkLimits?(): Promise<NonNullable<DialerLimits['trunks']>>;
  /** Hears each job as it starts, with how late it is past its due time (metrics). */
  onLaunch?(kind: string, latenessMs: number): void;
}

const DEFAULT_LIMITS: DialerLimits = { callsPerSecond: 10, maxConcurrent: 50 };

/**
 * Runs due outbound work from the database, each job dialled once: claimed under a lease by one
 * node, its call recorded before the INVITE, finished in one conditional update. Calls start no
 * faster than the global and per-trunk calls-per-second caps allow and never above the concurrent
 * caps; work beyond them stays pending until there is room.
 */
export class Dialer {
  readonly nodeId: string;
  private readonly store: DialerJobStore;
  private readonly clock: DialerClock;
  private limits: DialerLimits;
  /** The node's configured caps, which `setNodeLimits(null)` goes back to. */
  private configured: DialerLimits;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly handlers = new Map<string, DialHandler>();
  private readonly global: Pace;
  private readonly trunkPaces = new Map<number, Pace>();
  /** Jobs this node is dialling, by id. */
  private readonly running = new Map<number, Promise<void>>();
  private timer: unknown = null;
  private renewTimer: unknown = null;
  private ticking: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;
  /** Draining: nothing new is claimed (other nodes take the due work); calls up go on. */
  private paused = false;

  constructor(
    db: Db,
    private readonly options: DialerOptions = {},
  ) {
    this.store = new DialerJobStore(db);
    this.clock = options.clock ?? wallClock;
    this.nodeId = `${options.nodeId ?? 'node'}-${randomUUID().slice(0, 8)}`;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.configured = this.limits;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1000;
    this.global = new Pace(this.limits.callsPerSecond, this.limits.maxConcurrent, this.clock.now());
  }

  get jobs(): DialerJobStore {
    return this.store;
  }

  /** Calls being placed by this node now. */
  get activeCalls(): number {
    return this.running.size;
  }

  handle(kind: string, handler: DialHandler): void {
    this.handlers.set(kind, handler);
    this.poke();
  }

  async schedule(job: NewDialerJob, tx?: Db): Promise<number> {
    const id = await this.store.add(job, this.clock.now(), tx);
    this.poke();
    return id;
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.reloadNodeLimits();
    this.started = true;
    if (!this.store.isPostgres) await this.store.expireLeasesOfOthers(this.nodeId);
    this.scheduleRenewal();
    this.poke();
    await this.ticking;
  }

  /**
   * Stops claiming. Calls in progress are not waited for: they end with the switch, and `drain()`
   * then waits for their outcome to be written.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    if (this.renewTimer !== null) this.clock.clearTimeout(this.renewTimer);
    this.timer = null;
    this.renewTimer = null;
    await this.ticking;
  }

  /**
   * Replaces the node's caps (the dialing policy's pacing; null: the configured ones). The calls up
   * stay counted against the new concurrent cap; trunks without a cap of their own follow it too.
   */
  setNodeLimits(caps: { callsPerSecond: number; maxConcurrent: number } | null): void {
    const next = caps ? { ...this.limits, ...caps } : { ...this.configured };
    if (
      next.callsPerSecond === this.limits.callsPerSecond &&
      next.maxConcurrent === this.limits.maxConcurrent
    )
      return;
    this.limits = next;
    this.global.retune(next.callsPerSecond, next.maxConcurrent, this.clock.now());
    this.retuneTrunks();
  }

  /**
   * Replaces the trunks' own caps (the carrier's, edited on the trunk). A trunk that gets a cap
   * counts the calls it starts from then on; one whose cap is removed follows the node's caps.
   */
  setTrunkLimits(trunks: NonNullable<DialerLimits['trunks']>): void {
    if (JSON.stringify(trunks) === JSON.stringify(this.limits.trunks ?? {})) return;
    this.limits = { ...this.limits, trunks };
    this.configured = { ...this.configured, trunks };
    this.retuneTrunks();
  }

  /** The caps of one trunk's own in force now; null: it follows the node's. */
  trunkLimits(trunkId: number): { callsPerSecond?: number; maxConcurrent?: number } | null {
    return this.limits.trunks?.[trunkId] ?? null;
  }

  private retuneTrunks(): void {
    const now = this.clock.now();
    const { trunks, callsPerSecond, maxConcurrent } = this.limits;
    for (const [trunkKey, pace] of this.trunkPaces) {
      const cap = trunks?.[trunkKey];
      pace.retune(cap?.callsPerSecond ?? callsPerSecond, cap?.maxConcurrent ?? maxConcurrent, now);
    }
    this.poke();
  }

  private async reloadNodeLimits(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.options.loadNodeLimits) this.setNodeLimits(await this.options.loadNodeLimits());
      if (this.options.loadTrunkLimits) this.setTrunkLimits(await this.options.loadTrunkLimits());
    } catch (err) {
      this.options.logger?.warn({ err }, 'dialer could not read its pacing');
    }
  }

  /** The caps in force on this node now. */
  get nodeLimits(): { callsPerSecond: number; maxConcurrent: number } {
    return { callsPerSecond: this.limits.callsPerSecond, maxConcurrent: this.limits.maxConcurrent };
  }

  /** Claims nothing new until `resume()`; the dials already running go on. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.poke();
  }

  /** Waits for the dials still running to record how they ended. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  /** Look for work now (new work added, a call ended, a test moved the clock). */
  poke(): void {
    if (!this.started || this.stopped || this.paused) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick()
      .catch((err) => this.options.logger?.error({ err }, 'dialer tick failed'))
      .finally(() => {
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Resolves once no tick is running and no call of this node is up (tests). */
  async idle(): Promise<void> {
    while (this.ticking || this.running.size) {
      await (this.ticking ?? Promise.race([...this.running.values()]));
    }
  }

  private pace(trunkKey: number): Pace | null {
    if (trunkKey === 0) return null;
    const cap = this.limits.trunks?.[trunkKey];
    if (!cap) return null;
    let p = this.trunkPaces.get(trunkKey);
    if (!p) {
      p = new Pace(
        cap.callsPerSecond ?? this.limits.callsPerSecond,
        cap.maxConcurrent ?? this.limits.maxConcurrent,
        this.clock.now(),
      );
      this.trunkPaces.set(trunkKey, p);
    }
    return p;
  }

  private async tick(): Promise<void> {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    const kinds = [...this.handlers.keys()];
    let now = this.clock.now();
    // Only the kinds handled here: a job whose handler is not registered yet keeps its lease
    // expired until it is, so its handler always hears of the interruption.
    const afterCommit: Array<() => void> = [];
    const { failed } = await this.store.recoverExpired(now, kinds, async (row, tx) => {
      const after = await this.handlers.get(row.kind)?.interrupted?.(toDueJob(row), tx);
      if (after) afterCommit.push(after);
    });
    for (const f of failed) this.options.logger?.error(f, 'dialer job left by a stopped node not recovered');
    for (const after of afterCommit) after();
    let waitMs: number | null = null;
    let capped = false;
    for (const trunkKey of await this.store.dueTrunks(kinds, now)) {
      if (this.stopped || this.paused) return;
      now = this.clock.now();
      const trunkPace = this.pace(trunkKey);
      const room = Math.min(
        this.global.room(now),
        trunkPace ? trunkPace.room(now) : Number.POSITIVE_INFINITY,
      );
      if (room <= 0) {
        capped = true;
        for (const p of [this.global, trunkPace]) {
          const ms = p?.msToNextToken(now);
          if (ms !== undefined && ms !== null && ms > 0) waitMs = Math.min(waitMs ?? ms, ms);
        }
        continue;
      }
      const rows = await this.store.claim(kinds, trunkKey, room, this.nodeId, now, this.leaseMs);
      if (rows.length === room) capped = true;
      this.global.take(rows.length);
      trunkPace?.take(rows.length);
      for (const row of rows) this.launch(row, trunkPace);
    }
    if (this.stopped) return;
    now = this.clock.now();
    let next: number;
    if (capped) {
      // More is due than the caps let start: come back at the next token (or a call's end pokes).
      const ms = waitMs ?? this.global.msToNextToken(now) ?? this.pollMs;
      next = now + Math.max(1, Math.min(ms, this.pollMs));
    } else {
      const due = await this.store.nextDueAt(kinds);
      next = now + this.pollMs;
      if (due !== null) next = Math.min(next, Math.max(due, now + 1));
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.poke();
    }, next - now);
  }

  private launch(row: DialerJobRow, trunkPace: Pace | null): void {
    const handler = this.handlers.get(row.kind)!;
    const job = toDueJob(row);
    this.options.onLaunch?.(row.kind, Math.max(0, this.clock.now() - Number(row.due_at)));
    let callId: number | null = null;
    const ctx: DialContext = {
      placing: async (id) => {
        const ok = await this.store.markPlacing(row.id, this.nodeId, id, this.clock.now());
        if (ok) callId = id;
        return ok;
      },
      now: () => this.clock.now(),
    };
    const run = (async () => {
      let result: DialResult;
      try {
        result = await handler.dial(job, ctx);
      } catch (err) {
        this.options.logger?.error({ err, job: row.id }, 'dial handler failed');
        result = { outcome: 'failed' };
      }
      try {
        await this.store.finish(row, this.nodeId, { ...result, callId }, this.clock.now());
      } catch (err) {
        // The lease runs out and recovery decides from the call id, as after a crash.
        this.options.logger?.error({ err, job: row.id }, 'dialer could not record a dial');
      }
    })().finally(() => {
      this.running.delete(row.id);
      this.global.release();
      trunkPace?.release();
      this.poke();
    });
    this.running.set(row.id, run);
  }

  private scheduleRenewal(): void {
    if (this.stopped) return;
    this.renewTimer = this.clock.setTimeout(
      () => {
        this.renewTimer = null;
        this.store
          .renew([...this.running.keys()], this.nodeId, this.clock.now(), this.leaseMs)
          .catch((err) => this.options.logger?.warn({ err }, 'dialer lease renewal failed'))
          .then(() => this.reloadNodeLimits())
          .finally(() => this.scheduleRenewal());
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
  }
}
