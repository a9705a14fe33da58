// The dialer's claim, pacing and recovery on real databases: SQLite, and PostgreSQL with two
// dialers (two connection pools, as two nodes would have) racing for the same due work. The dial
// handler here records what it was asked to dial; the call-script side is tested with sipp in
// dialer-crash.test.ts.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type Db } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { type DialContext, Dialer, type DialHandler, type DueJob } from '../src/dialer/dialer';
import type { DialerClock } from '../src/dialer/dialer-clock';

const pgUrl = process.env.TEST_DATABASE_URL;

class ManualClock implements DialerClock {
  private timers = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;
  constructor(public t: number) {}
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers.delete(h as number);
  };
  /** Moves time on, firing the timers that come due. */
  advance(ms: number) {
    this.t += ms;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at <= this.t) {
        this.timers.delete(id);
        timer.fn();
      }
    }
  }
}

interface Database {
  db: Db;
  /** Another pool on the same database (a second node); PostgreSQL only. */
  another(): Db;
  drop(): Promise<void>;
}

async function openDatabase(kind: 'sqlite' | 'postgres'): Promise<Database> {
  if (kind === 'sqlite') {
    const db = createDatabase({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(db);
    return {
      db,
      another: () => {
        throw new Error('one process on SQLite');
      },
      drop: () => db.destroy(),
    };
  }
  const name = `sb_dialer_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  const pools: Db[] = [];
  const open = () => {
    const d = createDatabase({ kind: 'postgres', url: url.toString() });
    pools.push(d);
    return d;
  };
  const db = open();
  await migrateToLatest(db);
  return {
    db,
    another: open,
    drop: async () => {
      for (const p of pools) await p.destroy();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A handler that "dials" by recording the job, placing a call id first as a script would. */
function recordingHandler(
  log: Array<{ job: number; node: string }>,
  node: string,
  hold?: () => Promise<void>,
) {
  let callSeq = 0;
  const handler: DialHandler = {
    async dial(job: DueJob, ctx: DialContext) {
      if (!(await ctx.placing(++callSeq))) return { outcome: 'lease_lost' };
      log.push({ job: job.id, node });
      await hold?.();
      return { outcome: 'answered' };
    },
  };
  return handler;
}

const T0 = Date.UTC(2026, 4, 1, 9, 0, 0);

for (const kind of ['sqlite', 'postgres'] as const) {
  const suite = kind === 'postgres' && !pgUrl ? describe.skip : describe;
  suite(`dialer [${kind}]${kind === 'postgres' && !pgUrl ? ' — set TEST_DATABASE_URL to run' : ''}`, () => {
    let database: Database;
    const dialers: Dialer[] = [];
    afterEach(async () => {
      for (const d of dialers.splice(0)) {
        await d.stop();
        await d.drain();
      }
      await database?.drop();
    });

    const add = (db: Db, n: number, dueAt: number, extra: { trunkId?: number } = {}) =>
      db
        .insertInto('dialer_jobs')
        .values(
          Array.from({ length: n }, (_, i) => ({
            kind: 'test',
            number: `+1202555${String(i).padStart(4, '0')}`,
            trunk_id: extra.trunkId ?? null,
            due_at: dueAt,
            created_at: dueAt,
            updated_at: dueAt,
          })),
        )
        .execute();
    const statuses = async (db: Db) =>
      (await db.selectFrom('dialer_jobs').select(['status']).execute()).reduce<Record<string, number>>(
        (acc, r) => {
          acc[r.status] = (acc[r.status] ?? 0) + 1;
          return acc;
        },
        {},
      );

    it('dials nothing before it is due, and each due job once, at no more than the calls-per-second cap', async () => {
      database = await openDatabase(kind);
      const clock = new ManualClock(T0);
      const log: Array<{ job: number; node: string }> = [];
      const dialer = new Dialer(database.db, { clock, limits: { callsPerSecond: 5, maxConcurrent: 100 } });
      dialers.push(dialer);
      dialer.handle('test', recordingHandler(log, 'a'));
      await add(database.db, 12, T0 + 10_000);
      await dialer.start();
      await dialer.idle();
      expect(log).toHaveLength(0);
      clock.advance(10_000);
      await dialer.idle();
      expect(log).toHaveLength(5);
      clock.advance(1000);
      await dialer.idle();
      expect(log).toHaveLength(10);
      clock.advance(1000);
      await dialer.idle();
      expect(log).toHaveLength(12);
      expect(new Set(log.map((l) => l.job)).size).toBe(12);
      expect(await statuses(database.db)).toEqual({ done: 12 });
      const attempts = await database.db
        .selectFrom('dialer_attempts')
        .select(['outcome', 'call_id'])
        .execute();
      expect(attempts).toHaveLength(12);
      expect(attempts.every((a) => a.outcome === 'answered' && a.call_id !== null)).toBe(true);
    });

    it('paused (a draining node), it claims nothing due; resumed, it dials what waited', async () => {
      database = await openDatabase(kind);
      const clock = new ManualClock(T0);
      const log: Array<{ job: number; node: string }> = [];
      const dialer = new Dialer(database.db, { clock, limits: { callsPerSecond: 100, maxConcurrent: 100 } });
      dialers.push(dialer);
      dialer.handle('test', recordingHandler(log, 'a'));
      await dialer.start();
      dialer.pause();
      await add(database.db, 3, T0);
      dialer.poke();
      clock.advance(5000);
      await dialer.idle();
      expect(log).toHaveLength(0);
      expect(await statuses(database.db)).toEqual({ pending: 3 });
      dialer.resume();
      await dialer.idle();
      expect(log).toHaveLength(3);
      expect(await statuses(database.db)).toEqual({ done: 3 });
    });

    it('keeps work waiting at the concurrent cap (global and per trunk) and starts it as calls end', async () => {
      database = await openDatabase(kind);
      const clock = new ManualClock(T0);
      const log: Array<{ job: number; node: string }> = [];
      const releases: Array<() => void> = [];
      const hold = () => new Promise<void>((resolve) => releases.push(resolve));
      const dialer = new Dialer(database.db, {
        clock,
        limits: { callsPerSecond: 100, maxConcurrent: 3, trunks: { 7: { maxConcurrent: 1 } } },
      });
      dialers.push(dialer);
      dialer.handle('test', recordingHandler(log, 'a', hold));
      await add(database.db, 4, T0);
      await add(database.db, 2, T0, { trunkId: 7 });
      await dialer.start();
      await expect.poll(() => log.length).toBe(3);
      // the trunk allows one call of its own at a time
      const onTrunk = await database.db
        .selectFrom('dialer_jobs')
        .select('id')
        .where('trunk_id', '=', 7)
        .where('status', '=', 'dialling')
        .execute();
      expect(onTrunk.length).toBeLessThanOrEqual(1);
      expect(await statuses(database.db)).toMatchObject({ dialling: 3, pending: 3 });
      clock.advance(5000);
      await new Promise((r) => setImmediate(r));
      expect(log).toHaveLength(3);
      for (let i = 0; i < 6; i++) {
        await expect.poll(() => releases.length).toBeGreaterThan(0);
        releases.shift()!();
        const trunkCalls = await database.db
          .selectFrom('dialer_jobs')
          .select('id')
          .where('trunk_id', '=', 7)
          .where('status', '=', 'dialling')
          .execute();
        expect(trunkCalls.length).toBeLessThanOrEqual(1);
      }
      await dialer.idle();
      expect(new Set(log.map((l) => l.job)).size).toBe(6);
      expect(await statuses(database.db)).toEqual({ done: 6 });
    });

    it("follows the dialing policy's pacing while calls are up: set here, or read at the next lease renewal", async () => {
      database = await openDatabase(kind);
      const clock = new ManualClock(T0);
      const log: Array<{ job: number; node: string }> = [];
      const releases: Array<() => void> = [];
      const hold = () => new Promise<void>((resolve) => releases.push(resolve));
      let stored: { callsPerSecond: number; maxConcurrent: number } | null = null;
      const dialer = new Dialer(database.db, {
        clock,
        limits: { callsPerSecond: 100, maxConcurrent: 1 },
        leaseMs: 30_000,
        loadNodeLimits: async () => stored,
      });
      dialers.push(dialer);
      dialer.handle('test', recordingHandler(log, 'a', hold));
      await add(database.db, 5, T0);
      await dialer.start();
      await expect.poll(() => log.length).toBe(1);
      expect(await statuses(database.db)).toMatchObject({ dialling: 1, pending: 4 });

      // The admin raises the cap on this node: waiting work starts at once.
      dialer.setNodeLimits({ callsPerSecond: 100, maxConcurrent: 3 });
      await expect.poll(() => log.length).toBe(3);
      expect(dialer.nodeLimits).toEqual({ callsPerSecond: 100, maxConcurrent: 3 });

      // Another node saved a higher cap: this one reads it at its next lease renewal.
      stored = { callsPerSecond: 100, maxConcurrent: 4 };
      clock.advance(10_000);
      await expect.poll(() => log.length).toBe(4);
      expect(dialer.nodeLimits).toEqual({ callsPerSecond: 100, maxConcurrent: 4 });

      // Back to the node's configuration (one at a time): the fifth waits until the four calls end.
      stored = null;
      clock.advance(10_000);
      await expect.poll(() => dialer.nodeLimits.maxConcurrent).toBe(1);
      for (let i = 0; i < 3; i++) releases.shift()!();
      await expect.poll(async () => (await statuses(database.db)).done).toBe(3);
      expect(await statuses(database.db)).toEqual({ done: 3, dialling: 1, pending: 1 });
      expect(log).toHaveLength(4);
      releases.shift()!();
      await expect.poll(() => log.length).toBe(5);
      releases.shift()!();
      await dialer.idle();
      expect(await statuses(database.db)).toEqual({ done: 5 });
    });

    it("follows a trunk's own cap changed while its calls are up: set here, or read at the next lease renewal", async () => {
      database = await openDatabase(kind);
      const clock = new ManualClock(T0);
      const log: Array<{ job: number; node: string }> = [];
      const releases: Array<() => void> = [];
      const hold = () => new Promise<void>((resolve) => releases.push(resolve));
      let stored: Record<number, { maxConcurrent?: number }> = { 7: { maxConcurrent: 1 } };
      const dialer = new Dialer(database.db, {
        clock,
        limits: { callsPerSecond: 100, maxConcurrent: 10, trunks: stored },
        leaseMs: 30_000,
        loadTrunkLimits: async () => stored,
      });
      dialers.push(dialer);
      dialer.handle('test', recordingHandler(log, 'a', hold));
      await add(database.db, 4, T0, { trunkId: 7 });
      await dialer.start();
      await expect.poll(() => log.length).toBe(1);
      expect(dialer.trunkLimits(7)).toEqual({ maxConcurrent: 1 });

      // The admin raises the trunk's cap: waiting work on it starts at once.
      dialer.setTrunkLimits({ 7: { maxConcurrent: 2 } });
      await expect.poll(() => log.length).toBe(2);
      expect(await statuses(database.db)).toMatchObject({ dialling: 2, pending: 2 });

      // Another node removed the cap: this one reads it at its next lease renewal and follows the
      // node's cap (ten), so the rest start too.
      stored = {};
      clock.advance(10_000);
      await expect.poll(() => log.length).toBe(4);
      expect(dialer.trunkLimits(7)).toBeNull();
      for (const release of releases.splice(0)) release();
      await dialer.idle();
      expect(await statuses(database.db)).toEqual({ done: 4 });
    });

    it('retries at the time the handler gives, and records each attempt', async () => {
      database = await openDatabase(kind);
      const clock = new ManualClock(T0);
      const dialled: number[] = [];
      const dialer = new Dialer(database.db, { clock });
      dialers.push(dialer);
      dialer.handle('test', {
        async dial(job, ctx) {
          await ctx.placing(100 + job.attempt);
          dialled.push(ctx.now());
          return job.attempt < 2 ? { outcome: 'busy', retryAt: ctx.now() + 60_000 } : { outcome: 'answered' };
        },
      });
      await add(database.db, 1, T0);
      await dialer.start();
      await dialer.idle();
      clock.advance(59_000);
      await dialer.idle();
      expect(dialled).toEqual([T0]);
      clock.advance(1000);
      await dialer.idle();
      clock.advance(60_000);
      await dialer.idle();
      expect(dialled).toEqual([T0, T0 + 60_000, T0 + 120_000]);
      const attempts = await database.db
        .selectFrom('dialer_attempts')
        .select(['outcome', 'call_id', 'at'])
        .orderBy('id')
        .execute();
      expect(attempts).toEqual([
        { outcome: 'busy', call_id: 100, at: T0 },
        { outcome: 'busy', call_id: 101, at: T0 + 60_000 },
        { outcome: 'answered', call_id: 102, at: T0 + 120_000 },
      ]);
    });

    it('commits the subject’s own writes with the attempt: both or neither, and never once the lease is lost', async () => {
      database = await openDatabase(kind);
      const clock = new ManualClock(T0);
      await add(database.db, 3, T0);
      const [kept, failing, lost] = (
        await database.db.selectFrom('dialer_jobs').select('id').orderBy('id').execute()
      ).map((r) => r.id);
      const dialer = new Dialer(database.db, { clock });
      dialers.push(dialer);
      const mark = (id: number) => (tx: Db) =>
        tx
          .updateTable('dialer_jobs')
          .set({ payload: `closed ${id}` })
          .where('id', '=', id)
          .execute()
          .then(() => {});
      dialer.handle('test', {
        async dial(job, ctx) {
          await ctx.placing(500 + job.id);
          if (job.id === lost) {
            // another node took the job over meanwhile
            await database.db
              .updateTable('dialer_jobs')
              .set({ lease_owner: 'someone-else' })
              .where('id', '=', job.id)
              .execute();
          }
          if (job.id === failing) {
            return {
              outcome: 'answered',
              commit: async () => {
                throw new Error('the subject refused the write');
              },
            };
          }
          return { outcome: 'answered', commit: mark(job.id) };
        },
      });
      await dialer.start();
      await dialer.idle();
      const jobs = await database.db
        .selectFrom('dialer_jobs')
        .select(['id', 'status', 'payload'])
        .orderBy('id')
        .execute();
      expect(jobs).toEqual([
        { id: kept, status: 'done', payload: `closed ${kept}` },
        // the failed write rolled the attempt and the job's end back with it
        { id: failing, status: 'dialling', payload: null },
        { id: lost, status: 'dialling', payload: null },
      ]);
      const attempts = await database.db.selectFrom('dialer_attempts').select('job_id').execute();
      expect(attempts).toEqual([{ job_id: kept }]);
    });

    it('takes over a dead node’s jobs: one never placed is dialled, one with a call is interrupted, not redialled', async () => {
      database = await openDatabase(kind);
      const clock = new ManualClock(T0);
      await add(database.db, 2, T0);
      const [placed, unplaced] = await database.db
        .selectFrom('dialer_jobs')
        .select('id')
        .orderBy('id')
        .execute();
      // A node that died: both claimed under its lease, one with a call recorded.
      await database.db
        .updateTable('dialer_jobs')
        .set({ status: 'dialling', lease_owner: 'dead-node', lease_until: T0 + 30_000 })
        .execute();
      await database.db
        .updateTable('dialer_jobs')
        .set({ call_id: 55 })
        .where('id', '=', placed!.id)
        .execute();
      const log: Array<{ job: number; node: string }> = [];
      const interrupted: number[] = [];
      const dialer = new Dialer(database.db, { clock, leaseMs: 30_000 });
      dialers.push(dialer);
      dialer.handle('test', {
        ...recordingHandler(log, 'b'),
        async interrupted(job): Promise<undefined> {
          interrupted.push(job.id);
        },
      });
      await dialer.start();
      await dialer.idle();
      if (kind === 'postgres') {
        // Another node's lease is honoured until it runs out.
        expect(log).toEqual([]);
        clock.advance(30_001);
        await dialer.idle();
      }
      expect(log.map((l) => l.job)).toEqual([unplaced!.id]);
      expect(interrupted).toEqual([placed!.id]);
      const rows = await database.db
        .selectFrom('dialer_jobs')
        .select(['id', 'status'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: placed!.id, status: 'interrupted' },
        { id: unplaced!.id, status: 'done' },
      ]);
    });

    it('a cut job waits for its handler: its writes commit with the interruption, a failing one is tried again', async () => {
      database = await openDatabase(kind);
      const clock = new ManualClock(T0);
      await add(database.db, 1, T0);
      const [cut] = await database.db.selectFrom('dialer_jobs').select('id').execute();
      await database.db
        .updateTable('dialer_jobs')
        .set({ status: 'dialling', lease_owner: 'dead-node', lease_until: T0 - 1, call_id: 55 })
        .execute();
      const dialer = new Dialer(database.db, { clock, leaseMs: 30_000 });
      dialers.push(dialer);
      // Started with no handler for the job's kind: nobody could hear of the interruption yet.
      dialer.handle('other', recordingHandler([], 'b'));
      await dialer.start();
      await dialer.idle();
      const status = async () =>
        (
          await database.db
            .selectFrom('dialer_jobs')
            .select('status')
            .where('id', '=', cut!.id)
            .executeTakeFirst()
        )?.status;
      expect(await status()).toBe('dialling');

      let fail = true;
      const after: number[] = [];
      dialer.handle('test', {
        ...recordingHandler([], 'b'),
        async interrupted(job, tx) {
          await tx
            .updateTable('dialer_jobs')
            .set({ payload: `told ${job.id}` })
            .where('id', '=', job.id)
            .execute();
          if (fail) throw new Error('subject not writable');
          return () => after.push(job.id);
        },
      });
      await dialer.idle();
      // The hook failed: its write and the interruption rolled back together.
      expect(await status()).toBe('dialling');
      expect(after).toEqual([]);
      expect(await database.db.selectFrom('dialer_attempts').select('id').execute()).toEqual([]);

      fail = false;
      dialer.poke();
      await dialer.idle();
      const row = await database.db
        .selectFrom('dialer_jobs')
        .select(['status', 'payload'])
        .where('id', '=', cut!.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'interrupted', payload: `told ${cut!.id}` });
      expect(after).toEqual([cut!.id]);
    });

    if (kind === 'postgres') {
      it('two dialers on one database, 200 jobs due in the same second: none dialled twice, none missed', {
        timeout: 60_000,
      }, async () => {
        database = await openDatabase(kind);
        const log: Array<{ job: number; node: string }> = [];
        const now = Date.now();
        await add(database.db, 200, now);
        const limits = { callsPerSecond: 10_000, maxConcurrent: 20 };
        const a = new Dialer(database.db, { limits, pollMs: 50 });
        const b = new Dialer(database.another(), { limits, pollMs: 50 });
        dialers.push(a, b);
        // Each dial takes a moment, so both nodes are claiming while the other is dialling.
        const hold = () => new Promise<void>((r) => setTimeout(r, 5));
        a.handle('test', recordingHandler(log, 'a', hold));
        b.handle('test', recordingHandler(log, 'b', hold));
        await Promise.all([a.start(), b.start()]);
        await expect
          .poll(async () => (await statuses(database.db)).done ?? 0, { timeout: 30_000, interval: 100 })
          .toBe(200);
        await Promise.all([a.idle(), b.idle()]);
        expect(log).toHaveLength(200);
        expect(new Set(log.map((l) => l.job)).size).toBe(200);
        // both nodes took part
        expect(log.some((l) => l.node === 'a')).toBe(true);
        expect(log.some((l) => l.node === 'b')).toBe(true);
        const attempts = await database.db.selectFrom('dialer_attempts').select('job_id').execute();
        expect(attempts).toHaveLength(200);
      });
    }
  });
}
