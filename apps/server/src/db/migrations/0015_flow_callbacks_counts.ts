import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

function withId<T extends string>(db: AnyDb, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

const COLUMNS = `id, service_id, source, caller_number, callback_number, destination, subscriber_id,
  status, reason, call_id, node_id, created_at, updated_at`;

/** Rebuilds callback_requests with `service_id` required or not (SQLite cannot alter a column). */
async function rebuildRequests(db: AnyDb, forFlows: boolean): Promise<void> {
  const sources = sql.raw(forFlows ? `'call','sms','flow'` : `'call','sms'`);
  let table = withId(db, db.schema.createTable('callback_requests_next')).addColumn(
    'service_id',
    'integer',
    (c) =>
      forFlows
        ? c.references('callback_services.id').onDelete('cascade')
        : c.notNull().references('callback_services.id').onDelete('cascade'),
  );
  if (forFlows)
    table = table.addColumn('flow_id', 'integer', (c) => c.references('call_flows.id').onDelete('cascade'));
  await table
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in (${sources})`))
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
  const where = forFlows ? sql`` : sql` where service_id is not null`;
  await sql`insert into callback_requests_next (${sql.raw(COLUMNS)})
    select ${sql.raw(COLUMNS)} from callback_requests${where}`.execute(db);
  await db.schema.dropTable('callback_requests').execute();
  await db.schema.alterTable('callback_requests_next').renameTo('callback_requests').execute();
  await db.schema
    .createIndex('callback_requests_service_idx')
    .on('callback_requests')
    .columns(['service_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('callback_requests_subscriber_idx')
    .on('callback_requests')
    .columns(['subscriber_id', 'created_at'])
    .execute();
}

/**
 * Call backs from call flows, and flow counters that outlive a restart.
 *
 * - `callback_requests` also logs the call backs a flow's Callback component asks for: `source`
 *   `flow`, `flow_id` set and no `service_id`, so one log (and one start-up clean-up) covers every
 *   call back.
 * - `call_flow_counts`: per flow version, day (UTC) and component, the calls that entered it
 *   (`exit` empty) and left it by each exit; every node adds to the same rows.
 */
export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table callback_requests alter column service_id drop not null`.execute(db);
    await sql`alter table callback_requests add column flow_id integer references call_flows(id) on delete cascade`.execute(
      db,
    );
    await sql`alter table callback_requests drop constraint if exists callback_requests_source_check`.execute(
      db,
    );
    await sql`alter table callback_requests add constraint callback_requests_source_check check (source in ('call','sms','flow'))`.execute(
      db,
    );
  } else await rebuildRequests(db, true);
  await db.schema
    .createIndex('callback_requests_flow_idx')
    .on('callback_requests')
    .columns(['flow_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('call_flow_counts')
    .addColumn('flow_id', 'integer', (c) => c.notNull().references('call_flows.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('component_id', 'text', (c) => c.notNull())
    .addColumn('exit', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('call_flow_counts_pk', ['flow_id', 'version', 'day', 'component_id', 'exit'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('call_flow_counts').ifExists().execute();
  await db.schema.dropIndex('callback_requests_flow_idx').ifExists().execute();
  if (isPostgres(db)) {
    await sql`delete from callback_requests where service_id is null`.execute(db);
    await sql`alter table callback_requests drop column flow_id`.execute(db);
    await sql`alter table callback_requests alter column service_id set not null`.execute(db);
    await sql`alter table callback_requests drop constraint if exists callback_requests_source_check`.execute(
      db,
    );
    await sql`alter table callback_requests add constraint callback_requests_source_check check (source in ('call','sms'))`.execute(
      db,
    );
  } else await rebuildRequests(db, false);
}
