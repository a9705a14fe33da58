import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * The supervisor's "queue + disposition + month" search (bench/cdr): with the equality columns first
 * and duration last, both the newest-first page and the totals are read from this index alone.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('calls_queue_disposition_started_idx')
    .on('calls')
    .columns(['queue_id', 'disposition', 'started_at', 'duration_s'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('calls_queue_disposition_started_idx').ifExists().execute();
}
