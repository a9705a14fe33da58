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
 * Prepaid accounts and rating.
 *
 * - `subscribers` gains its account fields (display name, status, plan, limits) and two running
 *   totals kept in step with the ledger in the same transaction: `balance_minor` (the sum of the
 *   ledger's amounts) and `reserved_minor` (the sum of its holds: what calls in progress reserved),
 *   plus `open_reservations` and the day's call count, so one conditional UPDATE decides a
 *   reservation atomically on either database.
 * - `subscriber_ledger`: every change of balance or hold, with who made it and why.
 * - `rate_tables` / `rate_table_rates` (prefix + effective date unique per table) and `plans`
 *   (a plan names a rate table). The old `rates` table (prefix UNIQUE, one table) stays as it was;
 *   its rows are copied into the default table of their currency.
 * - `rate_reservations`: the money held for a call from ringing to settlement, with the rate it was
 *   quoted at, so a rate change mid-call changes nothing and a crash can be settled at start-up.
 * - `calls.subscriber_id` (calls per subscriber) and `call_legs.cost_currency` (beside cost_micros).
 */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  const now = Date.now();

  await withId(db, s.createTable('rate_tables'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, s.createTable('rate_table_rates'))
    .addColumn('rate_table_id', 'integer', (c) =>
      c.notNull().references('rate_tables.id').onDelete('cascade'),
    )
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('price_per_minute_micros', 'bigint', (c) => c.notNull())
    .addColumn('connect_fee_micros', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('initial_increment_s', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('increment_s', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('effective_from', 'bigint', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('rate_table_rates_prefix_date_uq', ['rate_table_id', 'prefix', 'effective_from'])
    .execute();

  await withId(db, s.createTable('plans'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('rate_table_id', 'integer', (c) => c.notNull().references('rate_tables.id'))
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await s
    .alterTable('subscribers')
    .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await s
    .alterTable('subscribers')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .execute();
  await s
    .alterTable('subscribers')
    .addColumn('plan_id', 'integer', (c) => c.references('plans.id'))
    .execute();
  await s
    .alterTable('subscribers')
    .addColumn('reserved_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await s
    .alterTable('subscribers')
    .addColumn('open_reservations', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await s.alterTable('subscribers').addColumn('max_concurrent_calls', 'integer').execute();
  await s.alterTable('subscribers').addColumn('max_calls_per_day', 'integer').execute();
  await s.alterTable('subscribers').addColumn('allowed_countries', 'text').execute();
  await s.alterTable('subscribers').addColumn('calls_day', 'text').execute();
  await s
    .alterTable('subscribers')
    .addColumn('calls_day_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await withId(db, s.createTable('rate_reservations'))
    .addColumn('subscriber_id', 'integer', (c) =>
      c.notNull().references('subscribers.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('rate_table_id', 'integer')
    .addColumn('rate_id', 'integer')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('price_per_minute_micros', 'bigint', (c) => c.notNull())
    .addColumn('connect_fee_micros', 'bigint', (c) => c.notNull())
    .addColumn('initial_increment_s', 'integer', (c) => c.notNull())
    .addColumn('increment_s', 'integer', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('max_duration_s', 'integer', (c) => c.notNull())
    .addColumn('call_id', 'integer', (c) => c.references('calls.id').onDelete('set null'))
    .addColumn('leg_id', 'integer', (c) => c.references('call_legs.id').onDelete('set null'))
    .addColumn('node_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('settled_at', 'bigint')
    .addColumn('billable_s', 'integer')
    .addColumn('cost_minor', 'bigint')
    .addColumn('settled_by', 'text')
    .execute();
  await s
    .createIndex('rate_reservations_open_idx')
    .on('rate_reservations')
    .column('status')
    .where('status', '=', 'open')
    .execute();
  await s
    .createIndex('rate_reservations_subscriber_idx')
    .on('rate_reservations')
    .columns(['subscriber_id', 'created_at'])
    .execute();
  await s.createIndex('rate_reservations_call_idx').on('rate_reservations').column('call_id').execute();

  await withId(db, s.createTable('subscriber_ledger'))
    .addColumn('subscriber_id', 'integer', (c) =>
      c.notNull().references('subscribers.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('top_up','adjustment','call_debit','reservation','release')`),
    )
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('held_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('balance_after_minor', 'bigint', (c) => c.notNull())
    .addColumn('reserved_after_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('reservation_id', 'integer', (c) => c.references('rate_reservations.id').onDelete('set null'))
    .addColumn('call_id', 'integer', (c) => c.references('calls.id').onDelete('set null'))
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('subscriber_ledger_subscriber_idx')
    .on('subscriber_ledger')
    .columns(['subscriber_id', 'id'])
    .execute();

  await s.alterTable('calls').addColumn('subscriber_id', 'integer').execute();
  await s.createIndex('calls_subscriber_idx').on('calls').columns(['subscriber_id', 'started_at']).execute();
  await s.alterTable('call_legs').addColumn('cost_currency', 'text').execute();

  // A default table and plan per currency in use (USD at least); the old rates go into theirs.
  const rateCurrencies = (await db.selectFrom('rates').select('currency').distinct().execute()).map(
    (r) => r.currency as string,
  );
  const subscriberCurrencies = (
    await db.selectFrom('subscribers').select('currency').distinct().execute()
  ).map((r) => r.currency as string);
  const currencies = [...new Set(['USD', ...rateCurrencies, ...subscriberCurrencies])];
  for (const currency of currencies) {
    const suffix = currency === 'USD' ? '' : ` ${currency}`;
    const table = await db
      .insertInto('rate_tables')
      .values({
        name: `Default${suffix}`,
        currency,
        description: 'Created with the rating engine',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const old = await db.selectFrom('rates').selectAll().where('currency', '=', currency).execute();
    if (old.length) {
      await db
        .insertInto('rate_table_rates')
        .values(
          old.map((r) => ({
            rate_table_id: table.id,
            prefix: r.prefix,
            description: r.description,
            price_per_minute_micros: r.price_per_minute_micros,
            connect_fee_micros: 0,
            initial_increment_s: r.initial_increment_s,
            increment_s: r.increment_s,
            effective_from: 0,
          })),
        )
        .execute();
    }
    const plan = await db
      .insertInto('plans')
      .values({
        name: `Standard${suffix}`,
        rate_table_id: table.id,
        description: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('subscribers').set({ plan_id: plan.id }).where('currency', '=', currency).execute();
  }

  // The balance is what the ledger says: a balance held before the ledger becomes its first entry.
  const balances = await db
    .selectFrom('subscribers')
    .select(['id', 'balance_minor', 'currency'])
    .where('balance_minor', '<>', 0)
    .execute();
  for (const b of balances) {
    await db
      .insertInto('subscriber_ledger')
      .values({
        subscriber_id: b.id,
        kind: 'adjustment',
        amount_minor: b.balance_minor,
        held_minor: 0,
        balance_after_minor: b.balance_minor,
        reserved_after_minor: 0,
        currency: b.currency,
        reservation_id: null,
        call_id: null,
        actor_kind: 'system',
        actor_id: null,
        reason: 'Opening balance (held before the ledger existed)',
        created_at: now,
      })
      .execute();
  }
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('call_legs').dropColumn('cost_currency').execute();
  await db.schema.dropIndex('calls_subscriber_idx').ifExists().execute();
  await db.schema.alterTable('calls').dropColumn('subscriber_id').execute();
  await db.schema.dropTable('subscriber_ledger').ifExists().execute();
  await db.schema.dropTable('rate_reservations').ifExists().execute();
  for (const column of [
    'calls_day_count',
    'calls_day',
    'allowed_countries',
    'max_calls_per_day',
    'max_concurrent_calls',
    'open_reservations',
    'reserved_minor',
    'plan_id',
    'status',
    'display_name',
  ]) {
    await db.schema.alterTable('subscribers').dropColumn(column).execute();
  }
  await db.schema.dropTable('plans').ifExists().execute();
  await db.schema.dropTable('rate_table_rates').ifExists().execute();
  await db.schema.dropTable('rate_tables').ifExists().execute();
}
