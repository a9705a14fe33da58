import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * The last moment each node was known alive. A node that dies without stopping (SIGKILL, power)
 * leaves its calls open; the next start ends them at this moment, not at the restart, so the
 * downtime is neither talk time in the CDR nor billed.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('node_heartbeats')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('alive_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('node_heartbeats').execute();
}
