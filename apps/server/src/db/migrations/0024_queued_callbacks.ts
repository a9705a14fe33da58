import type { Kysely } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Queued callback (virtual hold, docs/dialer.md).
 *
 * - `queues.virtual_hold…`: whether waiting callers are offered to be called back, above which
 *   expected wait, who is connected first (`customer_first` / `agent_first`), how many dials and
 *   how far apart.
 * - `queued_callbacks`: a caller's kept place (a callback placeholder). `waiting` while it keeps its
 *   place in the queue, `calling` while the dialer calls the customer for a free agent, then
 *   `connected` or `dropped` (with the last `outcome`). `joined_at` is the original caller's arrival:
 *   the order the placeholders take again after a restart. `not_before`: the next dial waits for it.
 */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  await s
    .alterTable('queues')
    .addColumn('virtual_hold', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await s
    .alterTable('queues')
    .addColumn('virtual_hold_threshold_s', 'integer', (c) => c.notNull().defaultTo(120))
    .execute();
  await s
    .alterTable('queues')
    .addColumn('virtual_hold_mode', 'text', (c) => c.notNull().defaultTo('customer_first'))
    .execute();
  await s
    .alterTable('queues')
    .addColumn('virtual_hold_max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
    .execute();
  await s
    .alterTable('queues')
    .addColumn('virtual_hold_retry_s', 'integer', (c) => c.notNull().defaultTo(120))
    .execute();

  const table = s.createTable('queued_callbacks');
  await (isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('queue_id', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('caller_name', 'text')
    .addColumn('origin_call_uuid', 'text')
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('waiting'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_before', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('queued_callbacks_status_idx')
    .on('queued_callbacks')
    .columns(['status', 'joined_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('queued_callbacks').execute();
  for (const c of [
    'virtual_hold_retry_s',
    'virtual_hold_max_attempts',
    'virtual_hold_mode',
    'virtual_hold_threshold_s',
    'virtual_hold',
  ])
    await db.schema.alterTable('queues').dropColumn(c).execute();
}
