import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

function withId<T extends string>(db: AnyDb, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Rebuilds inbound_routes with `target_type` limited to `types` (SQLite cannot alter a CHECK). */
async function inboundTargetTypes(db: AnyDb, types: string[]): Promise<void> {
  const list = sql.raw(types.map((t) => `'${t}'`).join(','));
  if (isPostgres(db)) {
    await sql`alter table inbound_routes drop constraint if exists inbound_routes_target_type_check`.execute(
      db,
    );
    await sql`alter table inbound_routes add constraint inbound_routes_target_type_check check (target_type in (${list}))`.execute(
      db,
    );
    return;
  }
  await withId(db, db.schema.createTable('inbound_routes_next'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('target_type', 'text', (c) => c.notNull().check(sql`target_type in (${list})`))
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into inbound_routes_next (id, number, target_type, target_id, created_at)
    select id, number, target_type, target_id, created_at from inbound_routes`.execute(db);
  await db.schema.dropTable('inbound_routes').execute();
  await db.schema.alterTable('inbound_routes_next').renameTo('inbound_routes').execute();
}

/**
 * Call flows.
 *
 * - `call_flows`: a flow's name and its draft (the definition as JSON text, edited freely), and
 *   the version calls use (`published_version`, null until first published).
 * - `call_flow_versions`: each published definition, never changed afterwards; a call keeps the
 *   version it started on, and an old one can be restored into the draft.
 * - Inbound routes may target a flow (`target_type` `flow`, `target_id` the flow's id).
 */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  await withId(db, s.createTable('call_flows'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('draft', 'text', (c) => c.notNull())
    .addColumn('published_version', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, s.createTable('call_flow_versions'))
    .addColumn('flow_id', 'integer', (c) => c.notNull().references('call_flows.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('published_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('call_flow_versions_flow_version_uq', ['flow_id', 'version'])
    .execute();

  await inboundTargetTypes(db, ['queue', 'extension', 'callback_service', 'flow']);
}

export async function down(db: AnyDb): Promise<void> {
  await db.deleteFrom('inbound_routes').where('target_type', '=', 'flow').execute();
  await inboundTargetTypes(db, ['queue', 'extension', 'callback_service']);
  await db.schema.dropTable('call_flow_versions').ifExists().execute();
  await db.schema.dropTable('call_flows').ifExists().execute();
}
