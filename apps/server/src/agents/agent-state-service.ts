import type { AgentSignIn, AgentState, AgentStateUpdate, AgentStatus } from '@switchboard/shared';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { AgentSessionEnd } from '../db/schema';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../observability/logger';
import type { LocationService } from '../switch/contracts';
import { AgentBoard, type AgentRecord, type Membership } from './agent-board';
import { AgentPresence } from './agent-presence';
import { AgentSessions } from './agent-sessions';

/** The pause reason the switch sets after too many unanswered offers in a row. */
const MISSED_REASON = 'missed';

export type Actor = { kind: 'user'; id: number } | { kind: 'system'; id: null };

export class AgentStateError extends Error {
  constructor(
    readonly field: 'reason' | 'queueIds' | 'userId',
    message: string,
  ) {
    super(message);
  }
}

export interface AgentStateServiceOptions {
  db: Db;
  events: EventBus;
  logger: Logger;
  location: Pick<LocationService, 'isRegistered'>;
  /** The administrator's state at sign-in (Offline when not given). */
  signInState?: () => Promise<AgentSignIn>;
  /** How long after their last desk tab closed an agent goes Offline. */
  deskClosedGraceMs?: number;
  /** This node's id: its signed-in spans, and its heartbeat where a restart ends them. */
  nodeId?: string;
  now?: () => number;
}

/**
 * Agent state: Idle or Paused with a reason per queue or all queues, logged in/out, on
 * call, wrap-up. Lives in the AgentBoard; every change is written to agent_states / queue_members
 * (in order, one write at a time) so a restart restores the agents exactly, and published as
 * `agent_state` events to the agent and supervisors.
 */
export class AgentStateService {
  readonly board: AgentBoard;
  /** On call / wrap-up / free, derived from the parties of the switch's calls. */
  readonly presence: AgentPresence;
  /** Signed-in spans and pauses, recorded for occupancy. */
  readonly sessions: AgentSessions;
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly queueNames = new Map<number, string>();
  private readonly queueWrapup = new Map<number, number>();
  private readonly queueCodeRequired = new Set<number>();
  private writes: Promise<void> = Promise.resolve();
  /** Set while an API update applies its own change (it persists and publishes that itself). */
  private quiet = 0;
  private readonly readSignInState: () => Promise<AgentSignIn>;
  /** Kept in memory so a registration signs the agent in at once, before any call is offered. */
  private signInState: AgentSignIn = { status: 'logged_out', reason: null };
  private readonly deskClosedGraceMs: number;
  /** Open desk connections per agent, and the timers of agents whose last one closed. */
  private readonly desks = new Map<number, number>();
  private readonly deskTimers = new Map<number, ReturnType<typeof setTimeout>>();
  /** How the sign-out under way ends the agent's span (read by the board's status listener). */
  private ending: AgentSessionEnd = 'signed_out';

  constructor(options: AgentStateServiceOptions) {
    this.db = options.db;
    this.events = options.events;
    this.logger = options.logger;
    this.now = options.now ?? (() => Date.now());
    this.readSignInState = options.signInState ?? (async () => this.signInState);
    this.deskClosedGraceMs = options.deskClosedGraceMs ?? 10_000;
    this.board = new AgentBoard({
      isRegistered: (ext) => options.location.isRegistered(ext),
      wrapupFor: (queueId) => this.queueWrapup.get(queueId) ?? 0,
      codeRequiredFor: (queueId) => this.queueCodeRequired.has(queueId),
      now: this.now,
    });
    this.presence = new AgentPresence(this.board);
    this.sessions = new AgentSessions(this.db, options.nodeId ?? 'local', this.logger);
    // Every change, also the ones an API update applies quietly, moves the signed-in spans.
    this.board.onStatusChange((a) => this.sessions.track(a.userId, a.status, a.reason, a.since, this.ending));
    this.board.onStatusChange((a) => {
      if (this.quiet > 0) return;
      this.publish(a);
      void this.persist(a.userId);
    });
  }

  async start(): Promise<void> {
    this.signInState = await this.readSignInState();
    await this.reload();
    // Calls do not survive a restart: an agent stored as on call or in wrap-up is free now.
    const stale = await this.db
      .selectFrom('agent_states')
      .select(['user_id', 'status', 'reason'])
      .where('status', 'in', ['on_call', 'wrapup'])
      .execute();
    for (const row of stale) if (this.board.get(row.user_id)) await this.persist(row.user_id);
    const closed = await this.sessions.recover(
      this.now(),
      this.board.all().filter((a) => a.loggedIn),
    );
    if (closed > 0) this.logger.info({ closed }, 'closed the signed-in spans left by the last stop');
  }

  /** Re-reads agents, extensions, memberships and queues (after admin changes); runtime state is kept. */
  reload(): Promise<void> {
    return this.enqueueWrite(async () => {
      const [users, extensions, members, states, queues] = await Promise.all([
        this.db
          .selectFrom('users')
          .select(['id'])
          .where('role', 'in', ['agent', 'supervisor'])
          .where('disabled', '=', 0)
          .execute(),
        this.db
          .selectFrom('extensions')
          .select(['user_id', 'number'])
          .where('user_id', 'is not', null)
          .execute(),
        this.db.selectFrom('queue_members').selectAll().execute(),
        this.db.selectFrom('agent_states').selectAll().execute(),
        this.db.selectFrom('queues').select(['id', 'name', 'wrapup_s', 'disposition_required']).execute(),
      ]);
      this.queueNames.clear();
      this.queueWrapup.clear();
      this.queueCodeRequired.clear();
      for (const q of queues) {
        this.queueNames.set(q.id, q.name);
        this.queueWrapup.set(q.id, q.wrapup_s);
        if (q.disposition_required === 1) this.queueCodeRequired.add(q.id);
      }
      const active = new Set(users.map((u) => u.id));
      for (const a of this.board.all()) {
        if (active.has(a.userId)) continue;
        // Disabled, or no longer an agent or supervisor: their signed-in span ends here.
        this.sessions.track(a.userId, 'logged_out', null, this.now(), 'removed');
        this.board.remove(a.userId);
      }
      for (const u of users) {
        const state = states.find((s) => s.user_id === u.id);
        const queuesOf = new Map<number, Membership>();
        for (const m of members) {
          if (m.user_id !== u.id) continue;
          queuesOf.set(m.queue_id, {
            penalty: m.penalty,
            paused:
              m.paused === 1 ? { reason: m.pause_reason ?? 'Paused', at: Number(m.paused_at ?? 0) } : null,
          });
        }
        this.board.load({
          userId: u.id,
          extension: extensions.find((e) => e.user_id === u.id)?.number ?? null,
          loggedIn: state !== undefined && state.status !== 'logged_out',
          queues: queuesOf,
          basePause:
            state?.status === 'paused'
              ? { reason: state.reason ?? 'Paused', at: Number(state.changed_at) }
              : null,
          since: Number(state?.changed_at ?? 0),
        });
      }
    });
  }

  queueName(queueId: number): string {
    return this.queueNames.get(queueId) ?? String(queueId);
  }

  /** The queue's agents stay in wrap-up until they pick a disposition code. */
  codeRequired(queueId: number): boolean {
    return this.queueCodeRequired.has(queueId);
  }

  isAgent(userId: number): boolean {
    return this.board.get(userId) !== undefined;
  }

  async state(userId: number): Promise<AgentState> {
    const a = this.board.get(userId);
    if (!a) throw new AgentStateError('userId', 'Not an agent');
    return {
      userId,
      status: a.status,
      reason: a.reason,
      since: a.since,
      queues: [...a.queues.entries()]
        .map(([queueId, m]) => ({
          queueId,
          queueName: this.queueNames.get(queueId) ?? String(queueId),
          paused: m.paused !== null,
          reason: m.paused?.reason ?? null,
          penalty: m.penalty,
        }))
        .sort((x, y) => x.queueName.localeCompare(y.queueName)),
      pauseReasons: await this.pauseReasons(),
    };
  }

  /** The reasons a person may pause with; the switch's own ("missed") is not one of them. */
  async pauseReasons(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('pause_reasons')
      .select('name')
      .where('active', '=', 1)
      .orderBy('sort_order')
      .orderBy('name')
      .execute();
    return rows.map((r) => r.name).filter((r) => r.toLowerCase() !== MISSED_REASON);
  }

  /**
   * `PUT …/state`: Idle or Paused with a reason, for some queues or all. Validates before changing
   * anything (unknown reason, queues the agent is not in → AgentStateError naming the field).
   */
  async update(userId: number, input: AgentStateUpdate, actor: Actor): Promise<AgentState> {
    const a = this.board.get(userId);
    if (!a) throw new AgentStateError('userId', 'Not an agent');
    let reason: string | null = null;
    if (input.status === 'paused') {
      const reasons = await this.pauseReasons();
      reason = reasons.find((r) => r.toLowerCase() === input.reason?.toLowerCase()) ?? null;
      if (reason === null)
        throw new AgentStateError('reason', `Unknown pause reason; choose one of: ${reasons.join(', ')}`);
    }
    const queueIds = input.queueIds ? [...new Set(input.queueIds)] : null;
    if (queueIds) {
      const notMember = queueIds.filter((q) => !a.queues.has(q));
      if (notMember.length > 0)
        throw new AgentStateError('queueIds', `Not a member of queue ${notMember.join(', ')}`);
    }
    const before = this.snapshotOf(a);
    this.quiet++;
    try {
      this.board.login(userId);
      this.board.setPaused(userId, queueIds, reason);
    } finally {
      this.quiet--;
    }
    const after = this.snapshotOf(a);
    await this.persist(userId);
    await recordAudit(
      this.db,
      {
        actor,
        action: input.status === 'paused' ? 'agent_state.pause' : 'agent_state.idle',
        entity: 'agent',
        entityId: userId,
        before,
        after: { ...after, queueIds: queueIds ?? 'all' },
      },
      this.now(),
    );
    this.publish(a, queueIds ?? [...a.queues.keys()]);
    return this.state(userId);
  }

  /**
   * A supervisor signs the agent out of every queue (Offline): nothing more is offered to them until
   * they go ready again. A call they are on goes on. Audited.
   */
  async signOut(userId: number, actor: Actor): Promise<AgentState> {
    const a = this.board.get(userId);
    if (!a) throw new AgentStateError('userId', 'Not an agent');
    const before = this.snapshotOf(a);
    this.logout(userId, actor.kind === 'user' && actor.id === userId ? 'signed_out' : 'forced');
    await this.persist(userId);
    await recordAudit(
      this.db,
      {
        actor,
        action: 'agent_state.logout',
        entity: 'agent',
        entityId: userId,
        before,
        after: this.snapshotOf(a),
      },
      this.now(),
    );
    return this.state(userId);
  }

  /** The dispatcher's max no-answer: pause in all queues with reason "missed". */
  autoPause(userId: number, queueId: number): void {
    const a = this.board.get(userId);
    if (!a) return;
    const before = this.snapshotOf(a);
    this.quiet++;
    try {
      this.board.setPaused(userId, null, MISSED_REASON);
    } finally {
      this.quiet--;
    }
    this.publish(a, [...a.queues.keys()]);
    void this.persist(userId).then(() =>
      recordAudit(
        this.db,
        {
          actor: { kind: 'system', id: null },
          action: 'agent_state.auto_pause',
          entity: 'agent',
          entityId: userId,
          before,
          after: { ...this.snapshotOf(a), queueId, reason: MISSED_REASON },
        },
        this.now(),
      ).catch((err) => this.logger.warn({ err, userId }, 'audit of auto-pause failed')),
    );
  }

  // --- registration and sign-out (the switch and the session layer) -------------------------------

  onRegistrationChange(extension: string, registered: boolean): void {
    const userId = this.board.registrationChanged(extension);
    if (userId === null || !registered) return;
    this.signIn(userId, { extension });
  }

  /** The administrator changed the state at sign-in (it applies to the next sign-in). */
  setSignInState(state: AgentSignIn): void {
    this.signInState = state;
  }

  /**
   * The agent's phone registered (the desk's softphone does when they sign in; a desk phone when it
   * starts): an Offline agent gets the administrator's sign-in state (Offline by default: they
   * press Go idle to take calls); an agent already signed in keeps their state.
   */
  signIn(userId: number, detail: Record<string, unknown> = {}): void {
    const a = this.board.get(userId);
    const target = this.signInState;
    if (!a || a.loggedIn || target.status === 'logged_out') return;
    this.quiet++;
    try {
      this.board.login(userId);
      if (target.status === 'paused') this.board.setPaused(userId, null, target.reason);
    } finally {
      this.quiet--;
    }
    this.publish(a, [...a.queues.keys()]);
    void this.persist(userId)
      .then(() =>
        recordAudit(
          this.db,
          {
            actor: { kind: 'system', id: null },
            action: 'agent_state.login',
            entity: 'agent',
            entityId: userId,
            after: { ...detail, status: a.status, reason: a.reason },
          },
          this.now(),
        ),
      )
      .catch((err) => this.logger.warn({ err, userId }, 'recording the sign-in failed'));
  }

  /** Offline in every queue; `how` is recorded as the end of the agent's signed-in span. */
  logout(userId: number, how: AgentSessionEnd = 'signed_out'): void {
    const timer = this.deskTimers.get(userId);
    if (timer) clearTimeout(timer);
    this.deskTimers.delete(userId);
    this.ending = how;
    try {
      this.board.logout(userId);
    } finally {
      this.ending = 'signed_out';
    }
  }

  /** The agent's desks open now (live event connections that are not displays). */
  openDesks(userId: number): number {
    return this.desks.get(userId) ?? 0;
  }

  /** A desk (live event connection) of the agent opened; returns its close. */
  deskOpened(userId: number): () => void {
    if (!this.board.get(userId)) return () => {};
    this.desks.set(userId, (this.desks.get(userId) ?? 0) + 1);
    const timer = this.deskTimers.get(userId);
    if (timer) clearTimeout(timer);
    this.deskTimers.delete(userId);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const n = (this.desks.get(userId) ?? 1) - 1;
      if (n > 0) {
        this.desks.set(userId, n);
        return;
      }
      this.desks.delete(userId);
      // A reload or a dropped network comes back within the grace; a closed last tab does not.
      this.deskTimers.set(
        userId,
        setTimeout(() => {
          this.deskTimers.delete(userId);
          if (this.desks.has(userId)) return;
          this.logout(userId, 'desk_closed');
        }, this.deskClosedGraceMs),
      );
    };
  }

  /** Resolves once every state write queued so far is in the database. */
  flush(): Promise<void> {
    return Promise.all([this.writes, this.sessions.flush()]).then(() => {});
  }

  stop(): Promise<void> {
    for (const t of this.deskTimers.values()) clearTimeout(t);
    this.deskTimers.clear();
    this.board.dispose();
    return this.flush();
  }

  // ---------------------------------------------------------------------------------------------

  private snapshotOf(a: AgentRecord) {
    return {
      status: a.status,
      reason: a.reason,
      paused: [...a.queues.entries()]
        .filter(([, m]) => m.paused)
        .map(([q, m]) => ({ queueId: q, reason: m.paused!.reason })),
    };
  }

  private publish(a: AgentRecord, queueIds?: number[]): void {
    this.events.publish(
      {
        type: 'agent_state',
        userId: a.userId,
        status: a.status as AgentStatus,
        reason: a.reason,
        ...(queueIds ? { queueIds } : {}),
        at: this.now(),
      },
      { userIds: [a.userId], minRole: 'supervisor' },
    );
  }

  /** Writes the agent's current state (agent_states and every membership's pause) after the writes before it. */
  private persist(userId: number): Promise<void> {
    return this.enqueueWrite(async () => {
      const a = this.board.get(userId);
      if (!a) return;
      const row = { status: a.status, reason: a.reason, changed_at: a.since };
      await this.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('agent_states')
          .values({ user_id: userId, ...row })
          .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
          .execute();
        for (const [queueId, m] of a.queues) {
          await tx
            .updateTable('queue_members')
            .set({
              paused: m.paused ? 1 : 0,
              pause_reason: m.paused?.reason ?? null,
              paused_at: m.paused?.at ?? null,
            })
            .where('queue_id', '=', queueId)
            .where('user_id', '=', userId)
            .execute();
        }
      });
    });
  }

  private enqueueWrite(job: () => Promise<void>): Promise<void> {
    const run = this.writes.then(job);
    this.writes = run.catch((err) => this.logger.error({ err }, 'agent state write failed'));
    return run;
  }
}
