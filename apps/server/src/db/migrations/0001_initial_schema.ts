import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/** SQLite and PostgreSQL spell an auto-increment key differently. */
function withId<T extends string>(db: AnyDb, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;

  await withId(db, s.createTable('users'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('agent_id', 'text', (c) => c.unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('agent','supervisor','admin')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, s.createTable('extensions'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('web','sip')`))
    .addColumn('sip_secret', 'text')
    .addColumn('recording_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('extensions_user_idx').on('extensions').column('user_id').execute();

  await withId(db, s.createTable('pause_reasons'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await withId(db, s.createTable('queues'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('strategy', 'text', (c) => c.notNull().defaultTo('longest-idle'))
    .addColumn('ring_timeout_s', 'integer', (c) => c.notNull().defaultTo(20))
    .addColumn('retry_delay_s', 'integer', (c) => c.notNull().defaultTo(2))
    .addColumn('wrapup_s', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('max_no_answer', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('max_wait_s', 'integer', (c) => c.notNull().defaultTo(600))
    .addColumn('overflow_type', 'text')
    .addColumn('overflow_target', 'text')
    .addColumn('max_length', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hold_music', 'text')
    .addColumn('announce_interval_s', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('service_level_s', 'integer', (c) => c.notNull().defaultTo(20))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await s
    .createTable('queue_members')
    .addColumn('queue_id', 'integer', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('penalty', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pause_reason', 'text')
    .addColumn('paused_at', 'bigint')
    .addPrimaryKeyConstraint('queue_members_pk', ['queue_id', 'user_id'])
    .execute();
  await s.createIndex('queue_members_user_idx').on('queue_members').column('user_id').execute();

  await s
    .createTable('agent_states')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, s.createTable('customers'))
    .addColumn('owner_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company', 'text')
    .addColumn('email', 'text')
    .addColumn('notes', 'text')
    .addColumn('last_contact_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('customers_owner_idx').on('customers').columns(['owner_user_id', 'name']).execute();
  await s.createIndex('customers_name_idx').on('customers').column('name').execute();

  await withId(db, s.createTable('customer_phones'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('digits', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .execute();
  await s.createIndex('customer_phones_customer_idx').on('customer_phones').column('customer_id').execute();
  await s.createIndex('customer_phones_number_idx').on('customer_phones').column('number').execute();

  await withId(db, s.createTable('recordings'))
    .addColumn('call_id', 'integer', (c) => c.notNull())
    .addColumn('agent_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('recording'))
    .execute();
  await s.createIndex('recordings_call_idx').on('recordings').column('call_id').execute();
  await s
    .createIndex('recordings_agent_time_idx')
    .on('recordings')
    .columns(['agent_user_id', 'started_at'])
    .execute();
  await s.createIndex('recordings_time_idx').on('recordings').column('started_at').execute();

  await withId(db, s.createTable('calls'))
    .addColumn('call_uuid', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('inbound','manual','auto')`))
    .addColumn('queue_id', 'integer', (c) => c.references('queues.id').onDelete('set null'))
    .addColumn('agent_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('customer_number', 'text')
    .addColumn('customer_digits', 'text')
    .addColumn('caller_number', 'text')
    .addColumn('called_number', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('duration_s', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ring_time_s', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disposition', 'text', (c) =>
      c.check(sql`disposition in ('answered','unanswered','busy','failed')`),
    )
    .addColumn('hangup_cause', 'text')
    .addColumn('hangup_side', 'text')
    .addColumn('transfer_chain', 'text')
    .addColumn('recording_id', 'integer', (c) => c.references('recordings.id').onDelete('set null'))
    .addColumn('quality', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('node_id', 'text')
    .addColumn('source_ref', 'text')
    .execute();
  // The Statistics → CDR searches: every filter is combined with a time range, newest first.
  await s.createIndex('calls_started_idx').on('calls').column('started_at').execute();
  await s
    .createIndex('calls_agent_started_idx')
    .on('calls')
    .columns(['agent_user_id', 'started_at'])
    .execute();
  await s.createIndex('calls_queue_started_idx').on('calls').columns(['queue_id', 'started_at']).execute();
  await s.createIndex('calls_type_started_idx').on('calls').columns(['type', 'started_at']).execute();
  await s
    .createIndex('calls_disposition_started_idx')
    .on('calls')
    .columns(['disposition', 'started_at'])
    .execute();
  await s.createIndex('calls_customer_idx').on('calls').columns(['customer_id', 'started_at']).execute();
  await s.createIndex('calls_open_idx').on('calls').column('status').where('status', '=', 'open').execute();
  if (isPostgres(db)) {
    // Partial-number search ("59…40" fragments) needs a trigram index on PostgreSQL; where the
    // extension cannot be created, searches still work by scanning within the time range.
    // The migration runs in a transaction, so a refused extension must roll back to a savepoint.
    await sql`savepoint before_trgm`.execute(db);
    try {
      await sql`create extension if not exists pg_trgm`.execute(db);
      await sql`create index calls_digits_trgm_idx on calls using gin (customer_digits gin_trgm_ops)`.execute(
        db,
      );
      await sql`release savepoint before_trgm`.execute(db);
    } catch {
      await sql`rollback to savepoint before_trgm`.execute(db);
    }
  }

  await withId(db, s.createTable('call_legs'))
    .addColumn('call_id', 'integer', (c) => c.notNull().references('calls.id').onDelete('cascade'))
    .addColumn('leg_uuid', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('peer', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('disposition', 'text')
    .addColumn('hangup_cause', 'text')
    .addColumn('cost_micros', 'bigint')
    .execute();
  await s.createIndex('call_legs_call_idx').on('call_legs').column('call_id').execute();

  await withId(db, s.createTable('callback_plans'))
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id').onDelete('cascade'))
    .addColumn('phone_id', 'integer', (c) => c.references('customer_phones.id').onDelete('set null'))
    .addColumn('number', 'text')
    .addColumn('owner_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('callback_plans_due_idx').on('callback_plans').columns(['status', 'due_at']).execute();
  await s
    .createIndex('callback_plans_owner_idx')
    .on('callback_plans')
    .columns(['owner_user_id', 'due_at'])
    .execute();

  await withId(db, s.createTable('dial_tasks'))
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('assigned_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_by_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('result', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('dial_tasks_assigned_idx')
    .on('dial_tasks')
    .columns(['assigned_user_id', 'start_at'])
    .execute();

  await withId(db, s.createTable('subscribers'))
    .addColumn('phone_number', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('balance_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('callback_country', 'text')
    .addColumn('callback_area', 'text')
    .addColumn('callback_number', 'text')
    .addColumn('pin_hash', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, s.createTable('subscriber_caller_ids'))
    .addColumn('subscriber_id', 'integer', (c) =>
      c.notNull().references('subscribers.id').onDelete('cascade'),
    )
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('subscriber_caller_ids_number_uq', ['number'])
    .execute();

  await withId(db, s.createTable('rates'))
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('price_per_minute_micros', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('initial_increment_s', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('increment_s', 'integer', (c) => c.notNull().defaultTo(60))
    .execute();

  await withId(db, s.createTable('trunks'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('password', 'text')
    .addColumn('transport', 'text', (c) => c.notNull().defaultTo('udp'))
    .addColumn('register', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('caller_id', 'text')
    .addColumn('inbound_addresses', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, s.createTable('inbound_routes'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('target_type', 'text', (c) =>
      c.notNull().check(sql`target_type in ('queue','extension','callback_service')`),
    )
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, s.createTable('callback_services'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('access_number', 'text')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('trunk_id', 'integer', (c) => c.references('trunks.id').onDelete('set null'))
    .addColumn('number', 'text')
    .addColumn('extension', 'text')
    .addColumn('caller_id', 'text')
    .addColumn('ring_seconds', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('delay_s', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('digit_timeout_s', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('authorized_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('announce_balance', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('ask_pin', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('credit_exhausted_prompt', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await s
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await s
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'integer', (c) => c.references('subscribers.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await s.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await s.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

  await withId(db, s.createTable('audit_log'))
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('audit_log_entity_idx')
    .on('audit_log')
    .columns(['entity', 'entity_id', 'at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'audit_log',
    'sessions',
    'settings',
    'callback_services',
    'inbound_routes',
    'trunks',
    'rates',
    'subscriber_caller_ids',
    'subscribers',
    'dial_tasks',
    'callback_plans',
    'call_legs',
    'calls',
    'recordings',
    'customer_phones',
    'customers',
    'agent_states',
    'queue_members',
    'queues',
    'pause_reasons',
    'extensions',
    'users',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
