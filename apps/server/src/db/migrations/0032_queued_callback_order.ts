import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Where each waiting callback placeholder stands among its queue's placeholders, as a supervisor
 * last ordered them: a restart puts them back in that order (before this, in arrival order, so a
 * reorder was lost). Null for placeholders written before it: they keep their arrival order.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('queued_callbacks').addColumn('queue_order', 'integer').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('queued_callbacks').dropColumn('queue_order').execute();
}
