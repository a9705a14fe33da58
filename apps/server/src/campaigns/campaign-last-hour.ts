import type { CampaignLastHour } from '@switchboard/shared';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { CAMPAIGN_TASK_JOB } from './campaign-store';

const BUCKET_MINUTES = 5;
const BUCKET_MS = BUCKET_MINUTES * 60_000;
const BUCKETS = 12;

/**
 * The campaign's dials in the last hour by five-minute bucket, counted as the live figures count
 * them: every dial that placed a call, except a preview agent's own call they did not take.
 */
export async function campaignLastHour(
  db: Db,
  campaignId: number,
  now = Date.now(),
): Promise<CampaignLastHour> {
  const current = Math.floor(now / BUCKET_MS);
  const first = current - BUCKETS + 1;
  // Integer division by the bucket's length, the same on SQLite and PostgreSQL for whole numbers; a
  // literal, not a parameter, so PostgreSQL sees the select's expression and the grouping's as one.
  const bucket = sql<number>`${sql.ref('dialer_attempts.at')} / ${sql.lit(BUCKET_MS)}`;
  const rows = await db
    .selectFrom('dialer_attempts')
    .innerJoin('campaign_tasks', 'campaign_tasks.task_id', 'dialer_attempts.subject_id')
    .select([bucket.as('bucket'), 'dialer_attempts.outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('dialer_attempts.kind', '=', CAMPAIGN_TASK_JOB)
    .where('campaign_tasks.campaign_id', '=', campaignId)
    .where('dialer_attempts.call_id', 'is not', null)
    .where('dialer_attempts.outcome', '!=', 'agent_unavailable')
    .where('dialer_attempts.at', '>=', first * BUCKET_MS)
    .groupBy([bucket, 'dialer_attempts.outcome'])
    .execute();
  const buckets = Array.from({ length: BUCKETS }, (_, i) => ({
    start: (first + i) * BUCKET_MS,
    dialled: 0,
    answered: 0,
    abandoned: 0,
  }));
  for (const r of rows) {
    const b = buckets[Number(r.bucket) - first];
    if (!b) continue;
    const n = Number(r.n);
    b.dialled += n;
    if (r.outcome === 'answered') b.answered += n;
    if (r.outcome === 'abandoned') b.abandoned += n;
  }
  return { bucketMinutes: BUCKET_MINUTES, buckets };
}
