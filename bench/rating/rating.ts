/**
 * Prepaid rating. Loads N prefixes into a rate table of a fresh SQLite file or PostgreSQL
 * database (migrated with the server's own migrations), then times, through the server's own code:
 *
 *  1. rate lookups in the in-memory index (RateIndex.lookup, longest prefix + effective date);
 *  2. quotes (RatingService.quote: one read of the account + the lookup + the duration arithmetic);
 *  3. reserve → settle pairs, one at a time and with several in flight (on separate accounts, and
 *     all on one account).
 *
 *   npx tsx bench/rating/rating.ts --db sqlite
 *   npx tsx bench/rating/rating.ts --db postgres [--url postgres://postgres@127.0.0.1:5432/postgres]
 *   options: --prefixes 100000 --quotes 100000 --pairs 3000 --inflight 8
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDatabase, type Db } from '../../apps/server/src/db/database';
import { migrateToLatest } from '../../apps/server/src/db/migrate';
import { createLogger } from '../../apps/server/src/observability/logger';
import { changeBalance } from '../../apps/server/src/rating/ledger';
import type { CsvRate } from '../../apps/server/src/rating/rate-csv';
import { importRates } from '../../apps/server/src/rating/rate-tables';
import { RatingService, type Reservation } from '../../apps/server/src/rating/rating-service';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    url: {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    prefixes: { type: 'string', default: '100000' },
    quotes: { type: 'string', default: '100000' },
    pairs: { type: 'string', default: '3000' },
    inflight: { type: 'string', default: '8' },
  },
});
const kind = args.db === 'postgres' ? 'postgres' : args.db === 'sqlite' ? 'sqlite' : null;
if (!kind) {
  console.error('--db must be sqlite or postgres');
  process.exit(2);
}
const PREFIXES = Number(args.prefixes);
const QUOTES = Number(args.quotes);
const PAIRS = Number(args.pairs);
const INFLIGHT = Number(args.inflight);

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(13);
const int = (n: number) => Math.floor(rnd() * n);
const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');

/** Calling codes to hang the prefixes under (a realistic spread of lengths). */
const CODES = [
  '1',
  '7',
  '20',
  '27',
  '30',
  '31',
  '33',
  '34',
  '39',
  '44',
  '49',
  '52',
  '55',
  '61',
  '62',
  '63',
  '81',
  '84',
  '86',
  '90',
  '91',
  '234',
  '254',
  '351',
  '353',
  '380',
  '420',
  '852',
  '880',
  '971',
];

function makeRates(n: number): Omit<CsvRate, 'line'>[] {
  const seen = new Set<string>();
  const rates: Omit<CsvRate, 'line'>[] = [];
  for (const code of CODES) {
    seen.add(code);
    rates.push(rate(code));
  }
  while (rates.length < n) {
    const code = CODES[int(CODES.length)]!;
    const prefix = code + digits(1 + int(6));
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    rates.push(rate(prefix));
  }
  return rates;
  function rate(prefix: string) {
    const incs = [
      [60, 60],
      [30, 6],
      [1, 1],
    ][int(3)]!;
    return {
      prefix,
      description: null,
      pricePerMinuteMicros: 1000 + int(300_000),
      connectFeeMicros: int(4) === 0 ? 10_000 : 0,
      initialIncrementS: incs[0]!,
      incrementS: incs[1]!,
      effectiveFrom: 0,
    };
  }
}

function destinations(rates: Omit<CsvRate, 'line'>[], n: number): string[] {
  return Array.from({ length: n }, () => {
    const p = rates[int(rates.length)]!.prefix;
    return `+${p}${digits(Math.max(0, 12 - p.length))}`;
  });
}

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function openDatabase(): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-bench-rating-'));
    const db = createDatabase({ kind: 'sqlite', file: path.join(dir, 'bench.db') });
    return { db, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `sb_bench_rating_${process.pid}`;
  const admin = new pg.Client({ connectionString: args.url });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(args.url);
  url.pathname = `/${name}`;
  const db = createDatabase({ kind: 'postgres', url: url.toString() });
  return {
    db,
    drop: async () => {
      const c = new pg.Client({ connectionString: args.url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function main() {
  const { db, drop } = await openDatabase();
  try {
    await migrateToLatest(db);
    const now = Date.now();
    const table = await db
      .insertInto('rate_tables')
      .values({ name: 'Bench', currency: 'USD', description: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const plan = await db
      .insertInto('plans')
      .values({ name: 'Bench', rate_table_id: table.id, description: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rates = makeRates(PREFIXES);
    let t = performance.now();
    await importRates(db, table.id, rates, 'replace');
    console.log(
      `loaded ${rates.length} prefixes in ${((performance.now() - t) / 1000).toFixed(1)} s (${kind})`,
    );

    const accounts: number[] = [];
    for (let i = 0; i < INFLIGHT + 1; i++) {
      const s = await db
        .insertInto('subscribers')
        .values({
          phone_number: `1999000${String(i).padStart(4, '0')}`,
          display_name: `Bench ${i}`,
          password_hash: 'x',
          currency: 'USD',
          plan_id: plan.id,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await changeBalance(db, {
        subscriberId: s.id,
        kind: 'top_up',
        amountMinor: 1_000_000_00,
        actor: { kind: 'system', id: null },
        reason: 'bench',
      });
      accounts.push(s.id);
    }
    const rating = new RatingService({
      db,
      logger: createLogger('silent'),
      nodeId: 'bench',
      defaultCountry: 'US',
      refreshIntervalMs: 0,
      // Each call holds at most 10 minutes, so many fit on one account at once.
      settings: { rating: async () => ({ warnBeforeEndS: 60, maxCallDurationS: 600 }) },
    });

    t = performance.now();
    const index = await rating.index(table.id);
    console.log(`index of ${index.size} rates built in ${(performance.now() - t).toFixed(0)} ms`);

    const dests = destinations(rates, QUOTES);
    const digitsOf = dests.map((d) => d.slice(1));
    // 1. Lookups alone.
    for (let i = 0; i < 10_000; i++) index.lookup(digitsOf[i % dests.length]!, now);
    t = performance.now();
    let found = 0;
    const LOOKUPS = 1_000_000;
    for (let i = 0; i < LOOKUPS; i++) if (index.lookup(digitsOf[i % dests.length]!, now)) found++;
    const lookupS = (performance.now() - t) / 1000;
    console.log(
      `lookups: ${Math.round(LOOKUPS / lookupS).toLocaleString('en')}/s (${found === LOOKUPS ? 'all found' : `${found} found`})`,
    );

    // 2. Quotes, one after the other (each reads the account from the database).
    const account = accounts[0]!;
    for (let i = 0; i < 2000; i++) await rating.quote(account, dests[i]!);
    const cpu0 = process.cpuUsage();
    t = performance.now();
    let ok = 0;
    for (let i = 0; i < QUOTES; i++) if ((await rating.quote(account, dests[i]!)).ok) ok++;
    const quoteS = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    console.log(
      `quotes: ${Math.round(QUOTES / quoteS).toLocaleString('en')}/s sequential (${ok} ok); node used ${((cpuS / quoteS) * 100).toFixed(0)} % of a core: ${((cpuS / QUOTES) * 1e6).toFixed(1)} µs CPU per quote = ${Math.round(QUOTES / cpuS).toLocaleString('en')} quotes per CPU-second`,
    );
    // Quotes with INFLIGHT at once (PostgreSQL overlaps the round trips).
    t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: INFLIGHT }, async () => {
        while (next < QUOTES) await rating.quote(account, dests[next++]!);
      }),
    );
    const quoteP = (performance.now() - t) / 1000;
    console.log(`quotes: ${Math.round(QUOTES / quoteP).toLocaleString('en')}/s with ${INFLIGHT} in flight`);

    // 3. reserve → settle pairs.
    const pair = async (acct: number, dest: string, latencies: number[]) => {
      const s = performance.now();
      const r = (await rating.reserve(acct, dest)) as Reservation;
      if (!r.ok) throw new Error(`refused: ${(r as unknown as { reason: string }).reason}`);
      await rating.settle(r.reservationId, 1 + int(300));
      latencies.push(performance.now() - s);
    };
    const run = async (label: string, inflight: number, accountFor: (worker: number) => number) => {
      const latencies: number[] = [];
      let n = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: inflight }, async (_, w) => {
          while (n < PAIRS) {
            n++;
            await pair(accountFor(w), dests[int(dests.length)]!, latencies);
          }
        }),
      );
      const secs = (performance.now() - start) / 1000;
      latencies.sort((a, b) => a - b);
      console.log(
        `reserve+settle ${label}: ${Math.round(PAIRS / secs).toLocaleString('en')} pairs/s, latency p50 ${pct(latencies, 50).toFixed(2)} ms p99 ${pct(latencies, 99).toFixed(2)} ms`,
      );
    };
    for (let i = 0; i < 200; i++) await pair(account, dests[i]!, []);
    await run('one at a time', 1, () => account);
    await run(`${INFLIGHT} in flight, one account each`, INFLIGHT, (w) => accounts[w + 1]!);
    await run(`${INFLIGHT} in flight, all on one account`, INFLIGHT, () => account);

    // The books balance: balance = sum of the ledger, nothing held.
    for (const a of accounts) {
      const row = await db
        .selectFrom('subscribers')
        .select(['balance_minor', 'reserved_minor', 'open_reservations'])
        .where('id', '=', a)
        .executeTakeFirstOrThrow();
      const sum = await db
        .selectFrom('subscriber_ledger')
        .select((eb) => [eb.fn.sum<number>('amount_minor').as('a'), eb.fn.sum<number>('held_minor').as('h')])
        .where('subscriber_id', '=', a)
        .executeTakeFirstOrThrow();
      if (
        Number(sum.a) !== Number(row.balance_minor) ||
        Number(row.reserved_minor) !== 0 ||
        Number(sum.h) !== 0
      ) {
        throw new Error(
          `account ${a}: balance ${row.balance_minor} vs ledger ${sum.a}, held ${row.reserved_minor}`,
        );
      }
    }
    console.log('ledger check: every balance equals the sum of its ledger, nothing left reserved');
  } finally {
    await db.destroy();
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
