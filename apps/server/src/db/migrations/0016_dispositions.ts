import type { Kysely } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Wrap-up dispositions (docs/agent-desk.md, "Wrap-up").
 *
 * - `disposition_codes`: the outcomes an agent picks after a call, for every queue (`queue_id`
 *   null) or for one queue; retired codes stay (`active` 0) so old calls keep their name.
 * - `queues.disposition_required`: the queue's agents stay in wrap-up until they pick a code.
 * - `calls.wrapup_code` / `wrapup_note`: what the agent picked and wrote, by name (a renamed or
 *   retired code does not rewrite history).
 */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  const table = s.createTable('disposition_codes');
  await (isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'integer', (c) => c.references('queues.id').onDelete('cascade'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('disposition_codes_queue').on('disposition_codes').column('queue_id').execute();
  await s
    .alterTable('queues')
    .addColumn('disposition_required', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await s.alterTable('calls').addColumn('wrapup_code', 'text').execute();
  await s.alterTable('calls').addColumn('wrapup_note', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('calls').dropColumn('wrapup_note').execute();
  await db.schema.alterTable('calls').dropColumn('wrapup_code').execute();
  await db.schema.alterTable('queues').dropColumn('disposition_required').execute();
  await db.schema.dropTable('disposition_codes').execute();
}
