import type { Kysely } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Failed sign-ins, one row each, counted per `scope` (`account`, `address`) and `key` over the
 * throttle's window: kept in the database so every node sharing it counts them together.
 */
export async function up(db: AnyDb): Promise<void> {
  const table = db.schema.createTable('sign_in_failures');
  await (isPostgres(db)
    ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_failures_key')
    .on('sign_in_failures')
    .columns(['scope', 'key', 'at'])
    .execute();
  await db.schema.createIndex('sign_in_failures_at').on('sign_in_failures').column('at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('sign_in_failures').ifExists().execute();
}
