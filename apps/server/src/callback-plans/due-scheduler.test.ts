import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { createSqliteDatabase } from '../db/sqlite/sqlite-database';
import { CallbackPlanScheduler, type PlanStatusChange } from './due-scheduler';

const T0 = Date.UTC(2026, 4, 1, 9, 0, 0);
const MIN = 60_000;

describe('CallbackPlanScheduler', () => {
  let db: Db;
  let owner: number;
  let scheduler: CallbackPlanScheduler;
  let changes: PlanStatusChange[];

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(T0);
    db = createSqliteDatabase(':memory:');
    await migrateToLatest(db);
    const u = await db
      .insertInto('users')
      .values({
        username: 'a',
        display_name: 'A',
        role: 'agent',
        password_hash: 'x',
        created_at: T0,
        updated_at: T0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    owner = u.id;
    scheduler = new CallbackPlanScheduler(db, { missedAfterMs: 60 * MIN });
    changes = [];
    scheduler.onChange((c) => changes.push(...c));
  });

  afterEach(async () => {
    await scheduler.stop();
    await db.destroy();
    vi.useRealTimers();
  });

  const plan = (dueAt: number) =>
    db
      .insertInto('callback_plans')
      .values({
        owner_user_id: owner,
        due_at: dueAt,
        customer_id: null,
        phone_id: null,
        number: null,
        note: null,
        created_at: T0,
        updated_at: T0,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((r) => r.id);
  const status = (id: number) =>
    db
      .selectFrom('callback_plans')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
      .then((r) => r.status);

  it('arms one timer for the next plan and marks it due when its time passes', async () => {
    const late = await plan(T0 + 30 * MIN);
    const soon = await plan(T0 + 5 * MIN);
    await scheduler.start();
    expect(scheduler.nextRunAt).toBe(T0 + 5 * MIN);
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(5 * MIN - 1);
    expect(await status(soon)).toBe('scheduled');
    await vi.advanceTimersByTimeAsync(1);
    expect(await status(soon)).toBe('due');
    expect(await status(late)).toBe('scheduled');
    expect(changes).toEqual([{ id: soon, ownerUserId: owner, status: 'due' }]);
    expect(scheduler.nextRunAt).toBe(T0 + 30 * MIN);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('marks a plan already past due at start, then missed when nobody closes it', async () => {
    const past = await plan(T0 - MIN);
    await scheduler.start();
    expect(await status(past)).toBe('due');
    expect(scheduler.nextRunAt).toBe(T0 - MIN + 60 * MIN);
    await vi.advanceTimersByTimeAsync(59 * MIN);
    expect(await status(past)).toBe('missed');
    expect(changes.map((c) => c.status)).toEqual(['due', 'missed']);
  });

  it('re-arms earlier when poked about a new plan', async () => {
    await plan(T0 + 60 * MIN);
    await scheduler.start();
    expect(scheduler.nextRunAt).toBe(T0 + 60 * MIN);
    const urgent = await plan(T0 + 2 * MIN);
    await scheduler.poke();
    expect(scheduler.nextRunAt).toBe(T0 + 2 * MIN);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(await status(urgent)).toBe('due');
  });

  it('leaves done and cancelled plans alone and stops cleanly', async () => {
    const id = await plan(T0 + MIN);
    await db.updateTable('callback_plans').set({ status: 'cancelled' }).where('id', '=', id).execute();
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(await status(id)).toBe('cancelled');
    expect(changes).toEqual([]);
    await scheduler.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
