import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { createPostgresDatabase } from '../src/db/postgres/postgres-database';
import { createSqliteDatabase } from '../src/db/sqlite/sqlite-database';
import { CallRecords } from '../src/switch/call-records';

const pgUrl = process.env.TEST_DATABASE_URL;

/**
 * A TCP relay to PostgreSQL that the test can cut (every connection dropped, new ones refused)
 * and restore: the database server itself keeps running for everyone else.
 */
class CuttableRelay {
  private readonly sockets = new Set<net.Socket>();
  private cutOff = false;
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<CuttableRelay> {
    let relay: CuttableRelay | undefined;
    const server = net.createServer((client) => {
      if (!relay || relay.cutOff) {
        client.destroy();
        return;
      }
      const upstream = net.connect(target.port, target.host);
      for (const s of [client, upstream]) {
        relay.sockets.add(s);
        s.on('close', () => relay?.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    relay = new CuttableRelay(server, (server.address() as net.AddressInfo).port);
    return relay;
  }

  /** The database stops answering: every byte either way is held (a hung server, a black hole). */
  stall(): void {
    for (const s of this.sockets) s.pause();
  }

  unstall(): void {
    for (const s of this.sockets) s.resume();
  }

  cut(): void {
    this.cutOff = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.cutOff = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

interface Outage {
  db: Db;
  start(): Promise<void>;
  end(): Promise<void>;
  /** A database that holds requests without answering (PostgreSQL over the relay). */
  stall?: { start(): void; end(): void };
}

const fastRetry = { writeTimeoutMs: 2000, retry: { minMs: 20, maxMs: 200 } };

function suite(
  kind: 'sqlite' | 'postgres',
  setup: () => Promise<{ outage: Outage; cleanup: () => Promise<void> }>,
) {
  describe(`call records through a database outage [${kind}]`, () => {
    let outage: Outage;
    let cleanup: () => Promise<void>;
    let dir: string;
    beforeAll(async () => {
      ({ outage, cleanup } = await setup());
      await migrateToLatest(outage.db);
      dir = mkdtempSync(path.join(os.tmpdir(), 'sb-journal-'));
    });
    afterAll(async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });

    const callRow = (uuid: string) =>
      outage.db.selectFrom('calls').selectAll().where('call_uuid', '=', uuid).execute();

    it('journals the writes of calls in progress and of new calls, then writes each once, in order, with the times they happened', async () => {
      const journalFile = path.join(dir, 'a.journal');
      const records = new CallRecords(outage.db, 'node-outage', Date.now, { journalFile, ...fastRetry });
      const t0 = Date.now();
      const before = await records.open({ type: 'inbound', customerNumber: '+12025550170' });
      const leg = await records.openLeg(before.id, {
        legUuid: `${before.uuid}-a`,
        role: 'customer',
        peer: 'x',
      });
      await records.answered(before.id, t0 + 2000);

      await outage.start();
      // The call in progress ends during the outage; another starts, is answered and ends.
      await records.addTransfer(before.id, { at: t0 + 3000, kind: 'blind' });
      await records.updateLeg(leg, { ended_at: t0 + 65_000, disposition: 'answered', hangup_cause: 'bye' });
      await records.close(
        before.id,
        { disposition: 'answered', hangupCause: 'normal_clearing', hangupSide: 'customer' },
        t0 + 65_000,
      );
      const during = await records.open({ type: 'manual', customerNumber: '+12025550171' });
      expect(during.id).toBeLessThan(0);
      const duringLeg = await records.openLeg(during.id, {
        legUuid: `${during.uuid}-b`,
        role: 'customer',
        peer: 'y',
      });
      await records.answered(during.id, during.startedAt + 4000);
      await records.close(
        during.id,
        { disposition: 'answered', hangupCause: 'normal_clearing', hangupSide: 'agent' },
        during.startedAt + 34_000,
      );
      await records.updateLeg(duringLeg, { ended_at: during.startedAt + 34_000, disposition: 'answered' });
      expect(records.backlog).toBe(8);
      // On disk before the outage ends: a crash now would lose nothing.
      expect(readFileSync(journalFile, 'utf8').trim().split('\n')).toHaveLength(8);
      expect((await callRowOutside(outage, before.uuid))?.status).toBe('open');

      await outage.end();
      await records.drained();
      expect(records.backlog).toBe(0);
      expect(readFileSync(journalFile, 'utf8')).toBe('');

      const [first] = await callRow(before.uuid);
      expect(first).toMatchObject({
        status: 'closed',
        disposition: 'answered',
        ring_time_s: 2,
        duration_s: 63,
        ended_at: t0 + 65_000,
      });
      expect(JSON.parse(first!.transfer_chain!)).toEqual([{ at: t0 + 3000, kind: 'blind' }]);
      const second = await callRow(during.uuid);
      expect(second).toHaveLength(1);
      expect(second[0]).toMatchObject({
        status: 'closed',
        started_at: during.startedAt,
        answered_at: during.startedAt + 4000,
        duration_s: 30,
        customer_digits: '12025550171',
      });
      const legs = await outage.db
        .selectFrom('call_legs')
        .select(['leg_uuid', 'ended_at', 'disposition'])
        .where('call_id', 'in', [first!.id, second[0]!.id])
        .orderBy('leg_uuid')
        .execute();
      expect(legs).toHaveLength(2);
      expect(legs.every((l) => l.ended_at !== null && l.disposition === 'answered')).toBe(true);

      // The in-progress call's provisional id keeps working after the outage.
      await records.update(during.id, { called_number: '5550104' });
      expect((await callRow(during.uuid))[0]?.called_number).toBe('5550104');
      records.stop();
    });

    if (kind === 'postgres')
      it('a database that stops answering holds a call for the write deadline only; the write lands once when it answers again', async () => {
        const journalFile = path.join(dir, 'c.journal');
        const records = new CallRecords(outage.db, 'node-stall', Date.now, {
          journalFile,
          writeTimeoutMs: 300,
          retry: { minMs: 50, maxMs: 200 },
        });
        // A warm pool connection, so the stalled write is really sent (not waiting to connect).
        await records.open({ type: 'auto', service: 'warm-up' });
        outage.stall!.start();
        const before = performance.now();
        const call = await records.open({ type: 'inbound', customerNumber: '+12025550173' });
        await records.close(call.id, {
          disposition: 'answered',
          hangupCause: 'normal_clearing',
          hangupSide: 'agent',
        });
        // The deadline, not the database, decided: well under the 2 s query timeout.
        expect(performance.now() - before).toBeLessThan(1500);
        expect(call.id).toBeLessThan(0);
        expect(records.backlog).toBe(2);
        outage.stall!.end();
        await records.drained();
        records.stop();
        const rows = await callRow(call.uuid);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ status: 'closed', disposition: 'answered' });
      });

    it('a journal left by a stop is written by the next start, and a journal replayed twice writes nothing twice', async () => {
      const journalFile = path.join(dir, 'b.journal');
      const records = new CallRecords(outage.db, 'node-restart', Date.now, { journalFile, ...fastRetry });
      await outage.start();
      const call = await records.open({ type: 'inbound', customerNumber: '+12025550172' });
      await records.openLeg(call.id, { legUuid: `${call.uuid}-a`, role: 'customer', peer: 'z' });
      await records.addTransfer(call.id, { at: 1, kind: 'overflow' });
      const recording = await records.openRecording(call.id, { agentUserId: null, path: `${call.uuid}.wav` });
      await records.completeRecording(recording, { durationMs: 5000, sizeBytes: 80_044, status: 'complete' });
      await records.close(call.id, {
        disposition: 'unanswered',
        hangupCause: 'no_answer',
        hangupSide: 'system',
      });
      records.stop();
      // A crash after the database took the writes but before the journal said so: replay twice.
      const copy = path.join(dir, 'b-copy.journal');
      copyFileSync(journalFile, copy);
      await outage.end();

      const next = new CallRecords(outage.db, 'node-restart', Date.now, { journalFile, ...fastRetry });
      expect(next.backlog).toBe(7);
      await next.drained();
      const again = new CallRecords(outage.db, 'node-restart', Date.now, { journalFile: copy, ...fastRetry });
      await again.drained();
      // Nothing is left for start-up to take for an interrupted call.
      expect(await again.closeInterrupted()).toBe(0);
      next.stop();
      again.stop();

      const rows = await callRow(call.uuid);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: 'closed',
        disposition: 'unanswered',
        hangup_cause: 'no_answer',
      });
      expect(JSON.parse(rows[0]!.transfer_chain!)).toEqual([{ at: 1, kind: 'overflow' }]);
      const legs = await outage.db
        .selectFrom('call_legs')
        .select('id')
        .where('call_id', '=', rows[0]!.id)
        .execute();
      expect(legs).toHaveLength(1);
      const recordings = await outage.db
        .selectFrom('recordings')
        .select(['id', 'status', 'size_bytes', 'duration_ms'])
        .where('call_id', '=', rows[0]!.id)
        .execute();
      expect(recordings).toEqual([
        { id: rows[0]!.recording_id, status: 'complete', size_bytes: 80_044, duration_ms: 5000 },
      ]);
    });
  });
}

/** The row as the database has it now (null while the database is out). */
async function callRowOutside(outage: Outage, uuid: string) {
  try {
    return await outage.db
      .selectFrom('calls')
      .select('status')
      .where('call_uuid', '=', uuid)
      .executeTakeFirst();
  } catch {
    return { status: 'open' };
  }
}

// SQLite: another process holds the write lock (an exclusive transaction) for the outage.
suite('sqlite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-sqlite-outage-'));
  const file = path.join(dir, 'calls.db');
  const db = createSqliteDatabase(file);
  let holder: SQLite.Database | null = null;
  return {
    outage: {
      db,
      async start() {
        // The application's own wait for a lock, shortened so the test does not sit out 5 s per try.
        await sql`pragma busy_timeout = 20`.execute(db);
        holder = new SQLite(file);
        holder.exec('begin exclusive');
      },
      async end() {
        holder?.exec('rollback');
        holder?.close();
        holder = null;
      },
    },
    cleanup: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

if (pgUrl) {
  suite('postgres', async () => {
    const name = `sb_outage_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const target = new URL(pgUrl);
    const relay = await CuttableRelay.start({ host: target.hostname, port: Number(target.port || 5432) });
    const viaRelay = new URL(pgUrl);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    viaRelay.pathname = `/${name}`;
    const db = createPostgresDatabase(viaRelay.toString(), { queryTimeoutMs: 2000 });
    return {
      outage: {
        db,
        start: async () => relay.cut(),
        end: async () => relay.restore(),
        stall: { start: () => relay.stall(), end: () => relay.unstall() },
      },
      cleanup: async () => {
        await db.destroy();
        await relay.close();
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  });
} else {
  describe.skip('call records through a database outage [postgres] — set TEST_DATABASE_URL to run', () => {
    it('runs with TEST_DATABASE_URL', () => {});
  });
}
