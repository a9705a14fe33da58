import type { Kysely } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * `api_tokens`: server-to-server credentials (docs/integrations.md). Only a SHA-256 of the secret is
 * kept; `scopes` is a JSON list; a token acts as `acts_as_user_id` and is refused once `revoked_at`
 * or `expires_at` has passed.
 */
export async function up(db: AnyDb): Promise<void> {
  const table = db.schema.createTable('api_tokens');
  await (isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('acts_as_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('requests_per_minute', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('api_tokens').execute();
}
