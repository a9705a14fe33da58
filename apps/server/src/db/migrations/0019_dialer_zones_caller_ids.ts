import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * - `customers.time_zone`: the customer's own IANA time zone; the dialer reads calling hours in it
 *   (null: the zones of the number's country).
 * - `queues.caller_id`: the number a customer sees when the dialer calls on the queue's behalf (a
 *   callback plan's queue); null: the dialing policy's, else the trunk's.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('customers').addColumn('time_zone', 'text').execute();
  await db.schema.alterTable('queues').addColumn('caller_id', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('queues').dropColumn('caller_id').execute();
  await db.schema.alterTable('customers').dropColumn('time_zone').execute();
}
