import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Web callbacks started from the subscriber portal: one row per request, written before the call
 * is placed so the per-minute limits (per subscriber, per client address) count requests in
 * flight; a refused request's row is deleted. `legs` keeps each leg's last status and cause as
 * JSON, so the history reads without the live call.
 */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  const id = isPostgres(db)
    ? s.createTable('web_callbacks').addColumn('id', 'serial', (c) => c.primaryKey())
    : s.createTable('web_callbacks').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await id
    .addColumn('subscriber_id', 'integer', (c) =>
      c.notNull().references('subscribers.id').onDelete('cascade'),
    )
    .addColumn('call_id', 'integer', (c) => c.references('calls.id').onDelete('set null'))
    .addColumn('call_uuid', 'text')
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('callback','one_off','connect_two')`))
    .addColumn('leg_a_number', 'text', (c) => c.notNull())
    .addColumn('leg_b_number', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('legs', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('client_ip', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('cost_minor', 'bigint')
    .addColumn('max_duration_s', 'integer')
    .addColumn('node_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('connected_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .execute();
  await s
    .createIndex('web_callbacks_subscriber_idx')
    .on('web_callbacks')
    .columns(['subscriber_id', 'created_at'])
    .execute();
  await s
    .createIndex('web_callbacks_ip_idx')
    .on('web_callbacks')
    .columns(['client_ip', 'created_at'])
    .execute();
  await s.createIndex('web_callbacks_status_idx').on('web_callbacks').columns(['status']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('web_callbacks').execute();
}
