import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Callback placeholders across restarts and nodes. `queue_order`: where each waiting placeholder
 * stands among its queue's placeholders, as a supervisor last ordered them, so a restart puts them
 * back in that order (null: arrival order). `node_id`: the node whose waiting list holds it, so a
 * node that starts puts back its own and a dead node's, never a live node's (null: written before
 * this, adopted by the first node that starts).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('queued_callbacks').addColumn('queue_order', 'integer').execute();
  await db.schema.alterTable('queued_callbacks').addColumn('node_id', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('queued_callbacks').dropColumn('node_id').execute();
  await db.schema.alterTable('queued_callbacks').dropColumn('queue_order').execute();
}
