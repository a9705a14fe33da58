// A burst of due callbacks against the dialer's calls-per-second cap:
//   npx tsx bench/dialer/due-burst.ts [--jobs 10000] [--window-s 60] [--cps 100] [--call-ms 2000]
//                                     [--pg postgres://…] [--nodes 1]
// The jobs are due spread over one window (more than the cap allows), in one database. The real
// Dialer claims and paces them; each "call" is the handler holding the job for --call-ms, so what is
// measured is the dialer's own work (claims, leases, pacing, recording), not SIP. --nodes N runs N
// dialers on one PostgreSQL (each with its own cap), the way several server nodes share the work.
// Prints: lateness against what the cap allows (an ideal token bucket, one second of burst, as the
// dialer's pacing promises) p50/p99/max, jobs started twice, jobs never started, CPU.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase } from '../../apps/server/src/db/database';
import { migrateToLatest } from '../../apps/server/src/db/migrate';
import { Dialer } from '../../apps/server/src/dialer/dialer';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const jobs = Number(arg('jobs', '10000'));
const windowMs = Number(arg('window-s', '60')) * 1000;
const cps = Number(arg('cps', '100'));
const callMs = Number(arg('call-ms', '2000'));
const pgUrl = arg('pg', '');
const nodes = Number(arg('nodes', '1'));
if (nodes > 1 && !pgUrl) throw new Error('--nodes above 1 needs --pg (several nodes share PostgreSQL)');

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sb-bench-dialer-'));
const schema = `bench_dialer_${process.pid}`;
if (pgUrl) {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
}
const open = () =>
  pgUrl
    ? createDatabase({ kind: 'postgres', url: pgUrl }, { searchPath: schema })
    : createDatabase({ kind: 'sqlite', file: path.join(tmp, 'bench.db') });
const db = open();
await migrateToLatest(db);

const started = new Map<number, number[]>();
const dialers: Dialer[] = [];
const dbs = [db];
for (let n = 0; n < nodes; n++) {
  const nodeDb = n === 0 ? db : open();
  if (n > 0) dbs.push(nodeDb);
  const dialer = new Dialer(nodeDb, {
    nodeId: `bench${n}`,
    // The concurrency cap is set out of the way: the cap under test is calls per second.
    limits: { callsPerSecond: cps, maxConcurrent: 100_000 },
    pollMs: 1000,
  });
  dialer.handle('bench', {
    async dial(job) {
      const at = Date.now();
      started.set(job.id, [...(started.get(job.id) ?? []), at]);
      await new Promise((r) => setTimeout(r, callMs));
      return { outcome: 'answered' };
    },
  });
  dialers.push(dialer);
}

// Due from 3 s from now, evenly over the window, inserted before the dialers start.
const t0 = Date.now() + 3000;
const due = new Map<number, number>();
for (let i = 0; i < jobs; i += 500) {
  const rows = Array.from({ length: Math.min(500, jobs - i) }, (_, k) => ({
    kind: 'bench',
    due_at: t0 + Math.floor(((i + k) * windowMs) / jobs),
    status: 'pending' as const,
    created_at: Date.now(),
    updated_at: Date.now(),
  }));
  const ids = await db.insertInto('dialer_jobs').values(rows).returning(['id', 'due_at']).execute();
  for (const r of ids) due.set(r.id, Number(r.due_at));
}

const cpu0 = process.cpuUsage();
const wall0 = Date.now();
for (const d of dialers) await d.start();
// Done when every job has started and its call has ended (or a generous deadline passes).
const deadline = t0 + windowMs + (jobs / (cps * nodes)) * 1000 + callMs + 30_000;
while (started.size < jobs && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
for (const d of dialers) await d.idle();
const cpu = process.cpuUsage(cpu0);
const wallS = (Date.now() - wall0) / 1000;

// What the cap allows: each node a token bucket of `cps` tokens (one second of burst), full at the
// start; jobs in due order take the earliest token at or after their due time. With several nodes
// the combined cap is nodes × cps.
const rate = cps * nodes;
let tokens = rate;
let last = wall0;
const allowed = new Map<number, number>();
for (const [id, d] of [...due.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0])) {
  let t = Math.max(d, last);
  tokens = Math.min(rate, tokens + ((t - last) / 1000) * rate);
  if (tokens < 1) {
    t += ((1 - tokens) / rate) * 1000;
    tokens = 1;
  }
  tokens -= 1;
  last = t;
  allowed.set(id, t);
}
const late: number[] = [];
let twice = 0;
for (const [id, times] of started) {
  if (times.length > 1) twice++;
  late.push(times[0]! - allowed.get(id)!);
}
late.sort((a, b) => a - b);
const lost = jobs - started.size;
const finished = await db
  .selectFrom('dialer_jobs')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .where('status', '=', 'done')
  .executeTakeFirst();

console.log(
  JSON.stringify({
    database: pgUrl ? 'postgres' : 'sqlite',
    nodes,
    jobs,
    windowS: windowMs / 1000,
    cps,
    callMs,
    latenessAgainstCapMs: { p50: pct(late, 0.5), p99: pct(late, 0.99), max: late.at(-1) },
    startedTwice: twice,
    neverStarted: lost,
    recordedDone: Number(finished?.n ?? 0),
    wallS,
    cpuS: Math.round(((cpu.user + cpu.system) / 1e6) * 10) / 10,
    load: os.loadavg().map((l) => Math.round(l * 10) / 10),
  }),
);
for (const d of dialers) await d.stop();
for (const d of dbs) await d.destroy();
if (pgUrl) {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}
rmSync(tmp, { recursive: true, force: true });
