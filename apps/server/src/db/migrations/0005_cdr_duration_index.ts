import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Totals without visiting rows (bench/cdr):
 * - "calls longer than N seconds" without a time range reads (duration_s, disposition) alone;
 * - a customer-name search reads (customer_id, started_at, disposition, duration_s) alone, for the
 *   newest-first page and the totals.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('calls_duration_idx')
    .on('calls')
    .columns(['duration_s', 'disposition'])
    .execute();
  await db.schema
    .createIndex('calls_customer_totals_idx')
    .on('calls')
    .columns(['customer_id', 'started_at', 'disposition', 'duration_s'])
    .execute();
  // Its prefix (customer_id, started_at) is the old index, which would now only cost writes.
  await db.schema.dropIndex('calls_customer_idx').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('calls_customer_idx')
    .on('calls')
    .columns(['customer_id', 'started_at'])
    .execute();
  await db.schema.dropIndex('calls_customer_totals_idx').ifExists().execute();
  await db.schema.dropIndex('calls_duration_idx').ifExists().execute();
}
