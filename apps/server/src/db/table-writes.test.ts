import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './database';
import { migrateToLatest } from './migrate';
import { createSqliteDatabase } from './sqlite/sqlite-database';
import { CachedRead } from './table-writes';

describe('CachedRead', () => {
  let db: Db;
  beforeAll(async () => {
    db = createSqliteDatabase(':memory:');
    await migrateToLatest(db);
  });
  afterAll(() => db.destroy());

  const setting = (key: string, value: string) =>
    db
      .insertInto('settings')
      .values({ key, value, updated_at: 0 })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();

  /** A cached read of one setting that counts its queries, on a clock the test moves. */
  function counted(key: string, maxAgeMs = 5000) {
    const clock = { now: 0 };
    let queries = 0;
    const read = new CachedRead(
      db,
      ['settings'],
      async () => {
        queries++;
        const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
        return row?.value ?? null;
      },
      maxAgeMs,
      () => clock.now,
    );
    return { read, clock, queries: () => queries };
  }

  it('reads once until the table is written through the handle, then sees the write', async () => {
    await setting('a', '1');
    const { read, queries } = counted('a');
    expect(await read.get()).toBe('1');
    expect(await read.get()).toBe('1');
    expect(queries()).toBe(1);
    // Another table's writes leave it alone.
    await db.insertInto('node_heartbeats').values({ node_id: 'n', alive_at: 1 }).execute();
    expect(await read.get()).toBe('1');
    expect(queries()).toBe(1);
    await setting('a', '2');
    expect(await read.get()).toBe('2');
    expect(queries()).toBe(2);
  });

  it('sees a write made inside a transaction', async () => {
    await setting('b', '1');
    const { read } = counted('b');
    expect(await read.get()).toBe('1');
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('settings').set({ value: '2' }).where('key', '=', 'b').execute();
    });
    expect(await read.get()).toBe('2');
  });

  it('shares a read in progress', async () => {
    await setting('c', '1');
    const { read, queries } = counted('c');
    const [first, second] = await Promise.all([read.get(), read.get()]);
    expect([first, second]).toEqual(['1', '1']);
    expect(queries()).toBe(1);
  });

  it('does not keep what it read while a write was under way', async () => {
    await setting('e', '1');
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let queried = () => {};
    const didQuery = new Promise<void>((r) => {
      queried = r;
    });
    const read = new CachedRead(db, ['settings'], async () => {
      const row = await db.selectFrom('settings').select('value').where('key', '=', 'e').executeTakeFirst();
      queried();
      await gate;
      return row?.value ?? null;
    });
    const overlapping = read.get();
    await didQuery;
    await setting('e', '2');
    release();
    expect(await overlapping).toBe('1');
    expect(await read.get()).toBe('2');
  });

  it('reads again once its age is up (writes by other nodes are not seen otherwise)', async () => {
    await setting('d', '1');
    const { read, clock, queries } = counted('d', 1000);
    await read.get();
    clock.now = 999;
    await read.get();
    expect(queries()).toBe(1);
    clock.now = 1000;
    await read.get();
    expect(queries()).toBe(2);
  });
});
