import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Config } from '../config';
import { createPostgresDatabase } from './postgres/postgres-database';
import type { Database } from './schema';
import { createSqliteDatabase } from './sqlite/sqlite-database';

export type Db = Kysely<Database>;

export function createDatabase(
  config: Config['database'],
  options: { searchPath?: string; queryTimeoutMs?: number } = {},
): Db {
  return config.kind === 'sqlite'
    ? createSqliteDatabase(config.file)
    : createPostgresDatabase(config.url, options);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations and helpers work on any schema
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
