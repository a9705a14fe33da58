import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema';
import { TableWrites } from '../table-writes';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Epoch-millisecond columns are bigint; they fit a JS number, so read them as numbers like SQLite does. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function createPostgresDatabase(
  url: string,
  options: { searchPath?: string; queryTimeoutMs?: number } = {},
): Kysely<Database> {
  const timeout = options.queryTimeoutMs ?? 15_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types,
    // A stalled or unreachable server fails the query instead of holding its caller (and a pool
    // connection) forever; call records then wait in their journal.
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // A client losing its connection must not crash the process: an idle one the pool replaces; one
  // in use (which pg leaves with no listener) fails its query, and that failure is handled there.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new TableWrites()] });
}
