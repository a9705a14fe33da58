import type { AgentStatus } from '@switchboard/shared';
import type { Db } from '../db/database';
import type { AgentSessionEnd } from '../db/schema';
import type { Logger } from '../observability/logger';

interface OpenSpan {
  /** Set once its row is written (writes run in order, so every later write sees it). */
  id: number | null;
  pauseId: number | null;
  /** The reason of the pause going on, null when not Paused. */
  paused: string | null;
}

/**
 * Signed-in time, as rows: one `agent_sessions` row per span an agent is signed in on this node, and
 * one `agent_pauses` row per stretch of it they are Paused in every queue (docs/supervisor.md,
 * "Reports"). Fed every status change of the agent board; writes run one at a time, in order.
 */
export class AgentSessions {
  private readonly open = new Map<number, OpenSpan>();
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly nodeId: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Start-up: spans this node left open were cut by its stop or crash. They end at the node's last
   * heartbeat (the last moment it could have offered a call; the downtime is not signed-in time),
   * never before they began and never after `now`. The agents the board restores as signed in start
   * a new span at `now`.
   */
  async recover(
    now: number,
    signedIn: Array<{ userId: number; status: AgentStatus; reason: string | null }>,
  ) {
    const beat = await this.db
      .selectFrom('node_heartbeats')
      .select('alive_at')
      .where('node_id', '=', this.nodeId)
      .executeTakeFirst();
    const lastAlive = beat ? Math.min(now, Number(beat.alive_at)) : now;
    const stale = await this.db
      .selectFrom('agent_sessions')
      .select(['id', 'signed_in_at'])
      .where('node_id', '=', this.nodeId)
      .where('signed_out_at', 'is', null)
      .execute();
    for (const s of stale) {
      const at = Math.max(lastAlive, Number(s.signed_in_at));
      await this.db
        .updateTable('agent_pauses')
        .set({ ended_at: at })
        .where('session_id', '=', s.id)
        .where('ended_at', 'is', null)
        .execute();
      await this.db
        .updateTable('agent_sessions')
        .set({ signed_out_at: at, end_reason: 'node_restart' })
        .where('id', '=', s.id)
        .execute();
    }
    for (const a of signedIn) this.track(a.userId, a.status, a.reason, now);
    await this.flush();
    return stale.length;
  }

  /**
   * The agent's status changed at `at`: a sign-in opens a span, Paused opens a pause, leaving Paused
   * ends it, Offline ends the span (`end` says how).
   */
  track(
    userId: number,
    status: AgentStatus,
    reason: string | null,
    at: number,
    end: AgentSessionEnd = 'signed_out',
  ): void {
    let span = this.open.get(userId);
    if (!span) {
      if (status === 'logged_out') return;
      const opened: OpenSpan = { id: null, pauseId: null, paused: null };
      span = opened;
      this.open.set(userId, span);
      this.write(async () => {
        const row = await this.db
          .insertInto('agent_sessions')
          .values({ user_id: userId, node_id: this.nodeId, signed_in_at: at })
          .returning('id')
          .executeTakeFirstOrThrow();
        opened.id = row.id;
      });
    }
    const s = span;
    const pause = status === 'paused' ? (reason ?? 'Paused') : null;
    // A new reason while Paused is a new pause, so each row has the one reason it was taken for.
    if (s.paused !== null && s.paused !== pause) {
      s.paused = null;
      this.write(async () => {
        if (s.pauseId === null) return;
        const id = s.pauseId;
        s.pauseId = null;
        await this.db.updateTable('agent_pauses').set({ ended_at: at }).where('id', '=', id).execute();
      });
    }
    if (pause !== null && s.paused === null) {
      s.paused = pause;
      this.write(async () => {
        if (s.id === null) return;
        const row = await this.db
          .insertInto('agent_pauses')
          .values({ session_id: s.id, user_id: userId, reason: pause, started_at: at })
          .returning('id')
          .executeTakeFirstOrThrow();
        s.pauseId = row.id;
      });
    }
    if (status === 'logged_out') {
      this.open.delete(userId);
      this.write(async () => {
        if (s.id === null) return;
        await this.db
          .updateTable('agent_sessions')
          .set({ signed_out_at: at, end_reason: end })
          .where('id', '=', s.id)
          .execute();
      });
    }
  }

  /** Resolves once every write queued so far is in the database. */
  flush(): Promise<void> {
    return this.writes;
  }

  private write(job: () => Promise<void>): void {
    this.writes = this.writes
      .then(job)
      .catch((err) => this.logger.error({ err }, 'agent session write failed'));
  }
}
