import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * A queue's service-level target: the percent of calls it means to answer within its threshold
 * (`service_level_s`). The wallboard colours each queue's tile by its own target; before this every
 * queue was held to 80 %, which stays the default.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('queues')
    .addColumn('service_level_target', 'integer', (c) => c.notNull().defaultTo(80))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('queues').dropColumn('service_level_target').execute();
}
