import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../migrate';
import { createSqliteDatabase, walCheckpointerOf } from './sqlite-database';
import { MAIN_AUTOCHECKPOINT_PAGES } from './wal-checkpointer';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('WAL checkpoints off the main thread', () => {
  it('a worker copies the WAL into the database while the main connection only writes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wal-'));
    dirs.push(dir);
    const db = createSqliteDatabase(path.join(dir, 'switch.db'));
    try {
      await migrateToLatest(db);
      const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
      expect(rows[0]!.wal_autocheckpoint).toBe(MAIN_AUTOCHECKPOINT_PAGES);
      const checkpointer = walCheckpointerOf(db)!;
      expect(checkpointer).toBeDefined();
      const checkpointed = new Promise<{ log: number; checkpointed: number }>((resolve) => {
        const off = checkpointer.onCheckpoint((r) => {
          if (r.checkpointed === 0) return;
          off();
          resolve(r);
        });
      });
      for (let i = 0; i < 200; i++)
        await db
          .insertInto('settings')
          .values({ key: `k${i}`, value: 'x'.repeat(500), updated_at: Date.now() })
          .execute();
      const r = await checkpointed;
      expect(r.log).toBeGreaterThan(0);
      expect(r.checkpointed).toBeGreaterThan(0);
      // Every row is in the database and readable on the main connection.
      const n = await db.selectFrom('settings').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBeGreaterThanOrEqual(200);
    } finally {
      await db.destroy();
    }
  });

  it('an in-memory database has no checkpointer', async () => {
    const db = createSqliteDatabase(':memory:');
    expect(walCheckpointerOf(db)).toBeUndefined();
    await db.destroy();
  });
});
