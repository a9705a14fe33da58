import { sql } from 'kysely';
import type { Db } from '../db/database';

/** One queue's CDR totals for a period (inbound calls that reached the queue). */
export interface QueueCallTotals {
  queueId: number;
  answered: number;
  notAnswered: number;
  answeredWithin: number;
  /** Sum of answered_at − started_at over answered calls, ms. */
  answerWaitMs: number;
  /** Sum of duration_s over answered calls. */
  talkSeconds: number;
}

/** The wallboard's reads: queues (with their service-level threshold), members, CDR totals. */
export class WallboardStore {
  constructor(private readonly db: Db) {}

  queues() {
    return this.db
      .selectFrom('queues')
      .select(['id', 'name', 'service_level_s', 'service_level_target'])
      .orderBy('name')
      .execute();
  }

  members() {
    return this.db.selectFrom('queue_members').select(['queue_id', 'user_id']).execute();
  }

  /**
   * Totals since `since`, the same counting as a queue's statistics: offered = answered + closed
   * and not answered; within = answered no later than the queue's threshold after the call started.
   */
  async totals(since: number): Promise<QueueCallTotals[]> {
    const rows = await this.db
      .selectFrom('calls')
      .innerJoin('queues', 'queues.id', 'calls.queue_id')
      .select([
        'calls.queue_id',
        sql<number>`sum(case when calls.disposition = 'answered' then 1 else 0 end)`.as('answered'),
        sql<number>`sum(case when calls.status = 'closed' and (calls.disposition is null or calls.disposition <> 'answered') then 1 else 0 end)`.as(
          'notAnswered',
        ),
        sql<number>`sum(case when calls.answered_at is not null and calls.answered_at - calls.started_at <= queues.service_level_s * 1000 then 1 else 0 end)`.as(
          'within',
        ),
        sql<number>`sum(case when calls.disposition = 'answered' and calls.answered_at is not null then calls.answered_at - calls.started_at else 0 end)`.as(
          'waitMs',
        ),
        sql<number>`sum(case when calls.disposition = 'answered' then calls.duration_s else 0 end)`.as(
          'talk',
        ),
      ])
      .where('calls.started_at', '>=', since)
      .where('calls.type', '=', 'inbound')
      .groupBy('calls.queue_id')
      .execute();
    const n = (v: unknown) => Number(v ?? 0);
    return rows.map((r) => ({
      queueId: r.queue_id!,
      answered: n(r.answered),
      notAnswered: n(r.notAnswered),
      answeredWithin: n(r.within),
      answerWaitMs: n(r.waitMs),
      talkSeconds: n(r.talk),
    }));
  }
}
