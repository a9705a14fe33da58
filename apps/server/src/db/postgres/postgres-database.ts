import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Epoch-millisecond columns are bigint; they fit a JS number, so read them as numbers like SQLite does. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function createPostgresDatabase(url: string, options: { searchPath?: string } = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
