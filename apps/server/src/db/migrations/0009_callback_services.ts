import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

function withId<T extends string>(db: AnyDb, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/**
 * Callback services (access-number and SMS callback).
 *
 * - `callback_services` (from 0001, unused until now) gains the trigger, security, digit timeouts,
 *   disconnect sequence, toll-fraud limits and SMS settings. `method` is one of `call_caller`,
 *   `call_authorized`, `call_number`, `call_extension`; `digit_timeout_s` is the first-digit timeout.
 * - `callback_requests`: every request for a call back (a trigger call or an SMS), refused ones
 *   included with the reason, so the per-hour and concurrent limits count from one place and an
 *   administrator sees what happened.
 * - `callback_pin_failures`: wrong PINs per calling number, for the lock-out.
 * - `sounds`: the sound library (files under SOUNDS_DIR, 8 kHz G.711 μ-law WAV), in folders.
 */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  const add = async (column: string, type: 'text' | 'integer' | 'bigint', def?: string | number) => {
    await s
      .alterTable('callback_services')
      .addColumn(column, type, (c) => (def === undefined ? c : c.notNull().defaultTo(def)))
      .execute();
  };
  await add('enabled', 'integer', 1);
  await add('trigger', 'text', 'ring_then_busy');
  await add('trigger_prompt', 'text');
  await add('security', 'text', 'pin');
  await add('service_password_hash', 'text');
  await add('subscriber_id', 'integer');
  await add('credit_query', 'integer', 1);
  await add('inter_digit_timeout_s', 'integer', 5);
  await add('max_attempts', 'integer', 3);
  await add('disconnect_sequence', 'text', '#11');
  await add('max_concurrent', 'integer');
  await add('max_per_hour', 'integer');
  await add('subscriber_max_concurrent', 'integer');
  await add('subscriber_max_per_hour', 'integer');
  await add('allowed_countries', 'text', '[]');
  await add('blocked_prefixes', 'text', '[]');
  await add('sms_secret', 'text');
  await add('sms_reply_url', 'text');
  await add('updated_at', 'bigint', 0);

  await withId(db, s.createTable('callback_requests'))
    .addColumn('service_id', 'integer', (c) =>
      c.notNull().references('callback_services.id').onDelete('cascade'),
    )
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('call','sms')`))
    .addColumn('caller_number', 'text')
    .addColumn('callback_number', 'text')
    .addColumn('destination', 'text')
    .addColumn('subscriber_id', 'integer', (c) => c.references('subscribers.id').onDelete('set null'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('refused','scheduled','calling','done','failed')`),
    )
    .addColumn('reason', 'text')
    .addColumn('call_id', 'integer', (c) => c.references('calls.id').onDelete('set null'))
    .addColumn('node_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('callback_requests_service_idx')
    .on('callback_requests')
    .columns(['service_id', 'created_at'])
    .execute();
  await s
    .createIndex('callback_requests_subscriber_idx')
    .on('callback_requests')
    .columns(['subscriber_id', 'created_at'])
    .execute();

  await withId(db, s.createTable('callback_pin_failures'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('service_id', 'integer', (c) =>
      c.notNull().references('callback_services.id').onDelete('cascade'),
    )
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('callback_pin_failures_idx')
    .on('callback_pin_failures')
    .columns(['number', 'at'])
    .execute();

  // Requests a crash left scheduled or calling are closed at start-up by the service.

  // The sound library: uploads converted to 8 kHz G.711, in folders (callback services, IVR flows).
  await withId(db, s.createTable('sounds'))
    .addColumn('folder', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('original_name', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('sounds_folder_name_uq', ['folder', 'name'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('sounds').ifExists().execute();
  await db.schema.dropTable('callback_pin_failures').ifExists().execute();
  await db.schema.dropTable('callback_requests').ifExists().execute();
  for (const column of [
    'updated_at',
    'sms_reply_url',
    'sms_secret',
    'blocked_prefixes',
    'allowed_countries',
    'subscriber_max_per_hour',
    'subscriber_max_concurrent',
    'max_per_hour',
    'max_concurrent',
    'disconnect_sequence',
    'max_attempts',
    'inter_digit_timeout_s',
    'credit_query',
    'subscriber_id',
    'service_password_hash',
    'security',
    'trigger_prompt',
    'trigger',
    'enabled',
  ]) {
    await db.schema.alterTable('callback_services').dropColumn(column).execute();
  }
}
