import { sql } from 'kysely';
import type { Db } from '../db/database';
import { type Bucket, bucketValues } from './report-buckets';

/** Which calls a report counts: the period, the queue filter (or the viewer's queues), the agent. */
export interface ReportScope {
  from: number;
  to: number;
  /** Null: every queue and calls without one (administrators). */
  queueIds: number[] | null;
  agentId?: number | undefined;
}

const n = (v: unknown) => Number(v ?? 0);

/** Every condition on `c` (calls) a scope makes: only closed calls have their outcome. */
function scopeConditions(s: ReportScope, opts: { agent: boolean } = { agent: true }) {
  const parts = [
    sql`c.status = 'closed'`,
    sql`c.disposition is not null`,
    sql`c.started_at >= ${s.from}`,
    sql`c.started_at < ${s.to}`,
  ];
  if (s.queueIds !== null)
    parts.push(
      s.queueIds.length ? sql`c.queue_id in (${sql.join(s.queueIds.map((id) => sql`${id}`))})` : sql`1 = 0`,
    );
  if (opts.agent && s.agentId !== undefined) parts.push(sql`c.agent_user_id = ${s.agentId}`);
  return sql.join(parts, sql` and `);
}

// An abandoned call: an inbound caller who hung up before anyone answered.
const abandoned = sql`c.disposition = 'unanswered' and c.type = 'inbound' and c.hangup_side = 'customer'`;

export interface CallsBucketRow {
  i: number;
  answered: number;
  abandoned: number;
  no_answer: number;
  busy: number;
  failed: number;
  inbound: number;
}

export interface ServiceLevelRow {
  i: number;
  queueId: number;
  offered: number;
  within: number;
}

export interface AgentCallsRow {
  agentUserId: number;
  answered: number;
  talk: number;
  wrapup: number;
}

/** A signed-in span or a pause of an agent; `end` null while it goes on. */
export interface AgentSpanRow {
  userId: number;
  start: number;
  end: number | null;
}

/** The reports' reads (docs/supervisor.md "Reports"): aggregates of `calls`, grouped by bucket. */
export class ReportsStore {
  constructor(private readonly db: Db) {}

  /** The queues a supervisor belongs to (theirs to report on). */
  async queuesOf(userId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('queue_members')
      .select('queue_id')
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => r.queue_id);
  }

  queues(ids: number[] | null) {
    let q = this.db
      .selectFrom('queues')
      .select(['id', 'name', 'service_level_s', 'service_level_target'])
      .orderBy('name');
    if (ids !== null) q = ids.length ? q.where('id', 'in', ids) : q.where(sql<boolean>`1 = 0`);
    return q.execute();
  }

  /** Calls per bucket by outcome, and the inbound calls (the abandon rate's denominator). */
  async callsByOutcome(scope: ReportScope, buckets: Bucket[]): Promise<CallsBucketRow[]> {
    const { rows } = await sql<Record<string, unknown>>`
      with b(i, s, e) as (${bucketValues(buckets)})
      select b.i as i,
        sum(case when c.disposition = 'answered' then 1 else 0 end) as answered,
        sum(case when ${abandoned} then 1 else 0 end) as abandoned,
        sum(case when c.disposition = 'unanswered' and not (${abandoned}) then 1 else 0 end) as no_answer,
        sum(case when c.disposition = 'busy' then 1 else 0 end) as busy,
        sum(case when c.disposition = 'failed' then 1 else 0 end) as failed,
        sum(case when c.type = 'inbound' then 1 else 0 end) as inbound
      from calls c
      join b on c.started_at >= b.s and c.started_at < b.e
      where ${scopeConditions(scope)}
      group by b.i`.execute(this.db);
    return rows.map((r) => ({
      i: n(r.i),
      answered: n(r.answered),
      abandoned: n(r.abandoned),
      no_answer: n(r.no_answer),
      busy: n(r.busy),
      failed: n(r.failed),
      inbound: n(r.inbound),
    }));
  }

  /**
   * Per queue and bucket, the wallboard's counting: offered = inbound calls of the queue that
   * ended; within = those answered no later than the queue's threshold after the call started.
   */
  async serviceLevel(scope: ReportScope, buckets: Bucket[]): Promise<ServiceLevelRow[]> {
    const { rows } = await sql<Record<string, unknown>>`
      with b(i, s, e) as (${bucketValues(buckets)})
      select b.i as i, q.id as queue_id,
        count(*) as offered,
        sum(case when c.disposition = 'answered' and c.answered_at is not null
          and c.answered_at - c.started_at <= q.service_level_s * 1000 then 1 else 0 end) as within
      from calls c
      join queues q on q.id = c.queue_id
      join b on c.started_at >= b.s and c.started_at < b.e
      where c.type = 'inbound' and ${scopeConditions(scope, { agent: false })}
      group by b.i, q.id`.execute(this.db);
    return rows.map((r) => ({
      i: n(r.i),
      queueId: n(r.queue_id),
      offered: n(r.offered),
      within: n(r.within),
    }));
  }

  /** Per agent: answered calls, talk, and the queue's wrap-up time per answered queue call. */
  async agentCalls(scope: ReportScope): Promise<AgentCallsRow[]> {
    const { rows } = await sql<Record<string, unknown>>`
      select c.agent_user_id as agent_user_id,
        count(*) as answered,
        sum(c.duration_s) as talk,
        sum(coalesce(q.wrapup_s, 0)) as wrapup
      from calls c
      left join queues q on q.id = c.queue_id
      where c.agent_user_id is not null and c.disposition = 'answered' and ${scopeConditions(scope)}
      group by c.agent_user_id`.execute(this.db);
    return rows.map((r) => ({
      agentUserId: n(r.agent_user_id),
      answered: n(r.answered),
      talk: n(r.talk),
      wrapup: n(r.wrapup),
    }));
  }

  /**
   * Signed-in spans (`agent_sessions`) or pauses (`agent_pauses`) that overlap the period, of the
   * scope's agents: members of its queues (everyone's when it has none) and `alsoUserIds` (the agents
   * who answered its calls), or the one agent asked for.
   */
  async agentSpans(
    scope: ReportScope,
    table: 'sessions' | 'pauses',
    alsoUserIds: number[] = [],
  ): Promise<AgentSpanRow[]> {
    const t = table === 'sessions' ? 'agent_sessions' : 'agent_pauses';
    const startCol = table === 'sessions' ? 'signed_in_at' : 'started_at';
    const endCol = table === 'sessions' ? 'signed_out_at' : 'ended_at';
    const parts = [
      sql`s.${sql.ref(startCol)} < ${scope.to}`,
      sql`(s.${sql.ref(endCol)} is null or s.${sql.ref(endCol)} > ${scope.from})`,
    ];
    if (scope.agentId !== undefined) parts.push(sql`s.user_id = ${scope.agentId}`);
    if (scope.queueIds !== null) {
      const who = [
        scope.queueIds.length
          ? sql`s.user_id in (select m.user_id from queue_members m where m.queue_id in (${sql.join(
              scope.queueIds.map((id) => sql`${id}`),
            )}))`
          : sql`1 = 0`,
      ];
      if (alsoUserIds.length) who.push(sql`s.user_id in (${sql.join(alsoUserIds.map((id) => sql`${id}`))})`);
      parts.push(sql`(${sql.join(who, sql` or `)})`);
    }
    const { rows } = await sql<Record<string, unknown>>`
      select s.user_id as user_id, s.${sql.ref(startCol)} as s, s.${sql.ref(endCol)} as e
      from ${sql.table(t)} s
      where ${sql.join(parts, sql` and `)}`.execute(this.db);
    return rows.map((r) => ({ userId: n(r.user_id), start: n(r.s), end: r.e == null ? null : n(r.e) }));
  }

  /** Display names of users. */
  async names(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }
}
