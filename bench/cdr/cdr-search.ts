/**
 * Statistics → CDR at a million rows. Loads N CDRs into a fresh SQLite file or PostgreSQL database
 * (migrated with the server's own migrations), then times the common searches through the same query
 * code the API uses (searchCdr: one page of 25 plus the totals).
 *
 *   npx tsx bench/cdr/cdr-search.ts --db sqlite
 *   npx tsx bench/cdr/cdr-search.ts --db postgres [--url postgres://postgres@127.0.0.1:5432/postgres]
 *   options: --rows 1000000 --runs 50 --keep
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { type CdrPageRequest, type CdrViewer, searchCdr } from '../../apps/server/src/cdr/cdr-search';
import { createDatabase, type Db } from '../../apps/server/src/db/database';
import { migrateToLatest } from '../../apps/server/src/db/migrate';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    url: {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '50' },
    keep: { type: 'boolean', default: false },
  },
});
const kind = args.db === 'postgres' ? 'postgres' : args.db === 'sqlite' ? 'sqlite' : null;
if (!kind) {
  console.error('--db must be sqlite or postgres');
  process.exit(2);
}
const ROWS = Number(args.rows);
const RUNS = Number(args.runs);
const AGENTS = 50;
const QUEUES = 10;
const CUSTOMERS = 10_000;
const DAY = 86_400_000;
const SPAN_DAYS = 365;
const now = Date.now();

/** Deterministic generator: every run loads the same data. */
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
const rnd = random(42);
const int = (n: number) => Math.floor(rnd() * n);
const phone = () => `+1${200 + int(800)}${String(int(10_000_000)).padStart(7, '0')}`;

const NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Mateo',
  'Sofia',
  'Lucas',
  'Mia',
  'Ethan',
  'Chloe',
  'Omar',
];
const LAST = [
  'Nguyen',
  'Smith',
  'Garcia',
  'Okafor',
  'Rossi',
  'Kim',
  'Patel',
  'Silva',
  'Haddad',
  'Novak',
  'Tanaka',
];

type CallTuple = [
  string, // call_uuid
  string, // type
  number | null, // queue_id
  number | null, // agent_user_id
  number | null, // customer_id
  string, // customer_number
  string, // customer_digits
  number, // started_at
  number | null, // answered_at
  number, // ended_at
  number, // duration_s
  number, // ring_time_s
  string, // disposition
  string, // hangup_cause
  string, // status
];
const CALL_COLUMNS = [
  'call_uuid',
  'type',
  'queue_id',
  'agent_user_id',
  'customer_id',
  'customer_number',
  'customer_digits',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_s',
  'ring_time_s',
  'disposition',
  'hangup_cause',
  'status',
];

function makeCall(
  agentIds: number[],
  queueIds: number[],
  customers: { id: number; number: string }[],
): CallTuple {
  const started = now - int(SPAN_DAYS * DAY);
  const t = rnd();
  const type = t < 0.6 ? 'inbound' : t < 0.88 ? 'manual' : 'auto';
  const d = rnd();
  const disposition = d < 0.72 ? 'answered' : d < 0.9 ? 'unanswered' : d < 0.97 ? 'busy' : 'failed';
  const known = rnd() < 0.6 ? customers[int(customers.length)]! : null;
  const number = known?.number ?? phone();
  const ring = 2 + int(20);
  const talk = disposition === 'answered' ? 10 + int(900) : 0;
  const agent = disposition === 'answered' || type !== 'inbound' ? agentIds[int(agentIds.length)]! : null;
  return [
    randomUUID(),
    type,
    type === 'inbound' ? queueIds[int(queueIds.length)]! : null,
    agent,
    known?.id ?? null,
    number,
    number.replace(/\D/g, ''),
    started,
    disposition === 'answered' ? started + ring * 1000 : null,
    started + (ring + talk) * 1000,
    disposition === 'answered' ? talk : type === 'manual' ? ring : 0,
    ring,
    disposition,
    disposition === 'answered' ? 'normal_clearing' : 'no_answer',
    'closed',
  ];
}

async function seedReferenceData(db: Db) {
  const agentIds: number[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const r = await db
      .insertInto('users')
      .values({
        username: `agent${i}`,
        agent_id: String(5000 + i),
        display_name: `Agent ${i}`,
        role: 'agent',
        password_hash: 'x',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    agentIds.push(r.id);
  }
  const queueIds: number[] = [];
  for (let i = 0; i < QUEUES; i++) {
    const r = await db
      .insertInto('queues')
      .values({ name: `queue${i}`, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    queueIds.push(r.id);
  }
  const customers: { id: number; number: string }[] = [];
  for (let i = 0; i < CUSTOMERS; i += 500) {
    const batch = Array.from({ length: Math.min(500, CUSTOMERS - i) }, () => ({
      owner_user_id: agentIds[int(AGENTS)]!,
      name: `${NAMES[int(NAMES.length)]} ${LAST[int(LAST.length)]}${int(1000)}`,
      created_at: now,
      updated_at: now,
    }));
    const ids = await db.insertInto('customers').values(batch).returning('id').execute();
    for (const { id } of ids) customers.push({ id, number: phone() });
  }
  return { agentIds, queueIds, customers };
}

async function loadSqlite(file: string, gen: () => CallTuple) {
  const conn = new SQLite(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = OFF');
  const insert = conn.prepare(
    `insert into calls (${CALL_COLUMNS.join(',')}) values (${CALL_COLUMNS.map(() => '?').join(',')})`,
  );
  const batch = conn.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run(...gen());
  });
  for (let done = 0; done < ROWS; done += 50_000) batch(Math.min(50_000, ROWS - done));
  conn.exec('analyze');
  conn.close();
}

async function loadPostgres(url: string, gen: () => CallTuple) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const types = [
    'text',
    'text',
    'int',
    'int',
    'int',
    'text',
    'text',
    'bigint',
    'bigint',
    'bigint',
    'int',
    'int',
    'text',
    'text',
    'text',
  ];
  const unnest = types.map((t, i) => `$${i + 1}::${t}[]`).join(',');
  for (let done = 0; done < ROWS; done += 20_000) {
    const n = Math.min(20_000, ROWS - done);
    const cols: unknown[][] = CALL_COLUMNS.map(() => []);
    for (let i = 0; i < n; i++) {
      const row = gen();
      for (let c = 0; c < row.length; c++) cols[c]!.push(row[c]);
    }
    await client.query(`insert into calls (${CALL_COLUMNS.join(',')}) select * from unnest(${unnest})`, cols);
  }
  await client.query('vacuum analyze calls');
  await client.query('analyze customers');
  await client.end();
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Scenario {
  name: string;
  request: (i: number) => { req: CdrPageRequest; viewer: CdrViewer };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-bench-cdr-'));
  let db: Db;
  let dropDb = async () => {};
  let target: string;
  if (kind === 'sqlite') {
    target = path.join(dir, 'bench.db');
    db = createDatabase({ kind: 'sqlite', file: target });
  } else {
    const name = `sb_bench_cdr_${process.pid}`;
    const admin = new pg.Client({ connectionString: args.url });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(args.url!);
    u.pathname = `/${name}`;
    target = u.toString();
    db = createDatabase({ kind: 'postgres', url: target });
    dropDb = async () => {
      const c = new pg.Client({ connectionString: args.url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }

  try {
    await migrateToLatest(db);
    const ref = await seedReferenceData(db);
    const gen = () => makeCall(ref.agentIds, ref.queueIds, ref.customers);
    const t0 = performance.now();
    if (kind === 'sqlite') {
      await db.destroy();
      await loadSqlite(target, gen);
      db = createDatabase({ kind: 'sqlite', file: target });
    } else {
      await loadPostgres(target, gen);
    }
    const loadS = (performance.now() - t0) / 1000;
    const count = await db
      .selectFrom('calls')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    console.log(`${kind}: loaded ${Number(count.n).toLocaleString('en')} CDRs in ${loadS.toFixed(1)} s`);

    const supervisor: CdrViewer = { userId: 0, role: 'supervisor' };
    const base = { sort: 'startedAt' as const, order: 'desc' as const, page: 1, pageSize: 25 };
    const monthStart = (i: number) => {
      const d = new Date(now);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1 - (i % 6), 1);
    };
    const monthEnd = (i: number) => {
      const d = new Date(now);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (i % 6), 1) - 1;
    };
    const fragment = (i: number) => ref.customers[(i * 7919) % ref.customers.length]!.number.slice(5, 10);
    const scenarios: Scenario[] = [
      {
        name: 'last 7 days, newest first (supervisor)',
        request: () => ({ req: { ...base, filters: { from: now - 7 * DAY } }, viewer: supervisor }),
      },
      {
        name: 'agent (own calls) + last 30 days',
        request: (i) => ({
          req: { ...base, filters: { from: now - 30 * DAY } },
          viewer: { userId: ref.agentIds[i % AGENTS]!, role: 'agent' },
        }),
      },
      {
        name: 'number fragment (5 digits), all time',
        request: (i) => ({ req: { ...base, filters: { number: fragment(i) } }, viewer: supervisor }),
      },
      {
        name: 'queue + disposition + one month',
        request: (i) => ({
          req: {
            ...base,
            filters: {
              queueId: ref.queueIds[i % QUEUES]!,
              disposition: 'answered',
              from: monthStart(i),
              to: monthEnd(i),
            },
          },
          viewer: supervisor,
        }),
      },
      {
        name: 'min duration ≥ 600 s, last 30 days',
        request: () => ({
          req: { ...base, filters: { minDuration: 600, from: now - 30 * DAY } },
          viewer: supervisor,
        }),
      },
      {
        name: 'min duration ≥ 600 s, all time',
        request: () => ({ req: { ...base, filters: { minDuration: 600 } }, viewer: supervisor }),
      },
      {
        name: 'customer name fragment, all time',
        request: (i) => ({
          req: { ...base, filters: { customer: `${LAST[i % LAST.length]}${i % 1000}` } },
          viewer: supervisor,
        }),
      },
    ];

    const results: { name: string; p50: number; p95: number; max: number; matches: number }[] = [];
    for (const s of scenarios) {
      for (let i = 0; i < 3; i++) {
        const { req, viewer } = s.request(i);
        await searchCdr(db, req, viewer);
      }
      const times: number[] = [];
      let matches = 0;
      for (let i = 0; i < RUNS; i++) {
        const { req, viewer } = s.request(i);
        const t = performance.now();
        const r = await searchCdr(db, req, viewer);
        times.push(performance.now() - t);
        matches += r.totals.count;
      }
      times.sort((a, b) => a - b);
      const row = {
        name: s.name,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        max: times[times.length - 1]!,
        matches: Math.round(matches / RUNS),
      };
      results.push(row);
      console.log(
        `${row.name.padEnd(42)} p50 ${row.p50.toFixed(1).padStart(6)} ms  p95 ${row.p95.toFixed(1).padStart(6)} ms  max ${row.max.toFixed(1).padStart(6)} ms  ~${row.matches.toLocaleString('en')} matches`,
      );
    }
    console.log('\n| search | p50 (ms) | p95 (ms) | matches (avg) |\n| --- | ---: | ---: | ---: |');
    for (const r of results)
      console.log(
        `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.matches.toLocaleString('en')} |`,
      );
  } finally {
    await db.destroy();
    if (!args.keep) {
      await dropDb();
      rmSync(dir, { recursive: true, force: true });
    } else console.log(`kept: ${target}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
