import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import type { Database } from '../schema';
import { TableWrites } from '../table-writes';
import { MAIN_AUTOCHECKPOINT_PAGES, WalCheckpointer } from './wal-checkpointer';

export function createSqliteDatabase(file: string): Kysely<Database> {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const connection = new SQLite(file);
  // WAL lets the HTTP API read while the switch writes CDRs; the busy timeout rides out short write locks.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  const checkpointer = file === ':memory:' ? null : new WalCheckpointer(file);
  if (checkpointer) connection.pragma(`wal_autocheckpoint = ${MAIN_AUTOCHECKPOINT_PAGES}`);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(connection, () => checkpointer?.stop()) }),
    plugins: [new TableWrites()],
  });
  if (checkpointer) checkpointers.set(db, checkpointer);
  return db;
}

const checkpointers = new WeakMap<Kysely<Database>, WalCheckpointer>();

/** The WAL checkpointer of a file database made by createSqliteDatabase (none in memory). */
export function walCheckpointerOf(db: Kysely<Database>): WalCheckpointer | undefined {
  return checkpointers.get(db);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * kysely prepares every query anew; the switch runs the same few dozen statements for every call
 * (CDR, legs, routing), and preparing was a third of its SQLite time on the call path. Statements
 * are reused by SQL text (least recently used dropped first). Safe because kysely only runs them
 * to completion (`all`/`run`); a streamed query (`iterate`) would need its own statement.
 */
function withStatementCache(connection: SQLite.Database, onClose: () => void): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      onClose();
      connection.close();
    },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) cache.delete(sql);
      else {
        stmt = connection.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt as unknown as SqliteStatement;
    },
  };
}
