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

export interface AgentDayRow {
  agentUserId: number;
  name: string;
  answered: number;
  talk: number;
  wrapup: number;
  firstAt: number;
  lastAt: number;
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

  /**
   * Per agent and day: answered calls, talk, the queue's wrap-up time per answered queue call, and
   * the first answer and the last call's end plus its wrap-up (the agent's worked span that day).
   */
  async agentDays(scope: ReportScope, days: Bucket[]): Promise<AgentDayRow[]> {
    const { rows } = await sql<Record<string, unknown>>`
      with b(i, s, e) as (${bucketValues(days)})
      select c.agent_user_id as agent_user_id, u.display_name as name, b.i as i,
        count(*) as answered,
        sum(c.duration_s) as talk,
        sum(coalesce(q.wrapup_s, 0)) as wrapup,
        min(coalesce(c.answered_at, c.started_at)) as first_at,
        max(coalesce(c.ended_at, c.started_at) + coalesce(q.wrapup_s, 0) * 1000) as last_at
      from calls c
      join users u on u.id = c.agent_user_id
      left join queues q on q.id = c.queue_id
      join b on c.started_at >= b.s and c.started_at < b.e
      where c.disposition = 'answered' and ${scopeConditions(scope)}
      group by c.agent_user_id, u.display_name, b.i`.execute(this.db);
    return rows.map((r) => ({
      agentUserId: n(r.agent_user_id),
      name: String(r.name),
      answered: n(r.answered),
      talk: n(r.talk),
      wrapup: n(r.wrapup),
      firstAt: n(r.first_at),
      lastAt: n(r.last_at),
    }));
  }
}
