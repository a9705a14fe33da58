// Wallboard fan-out: 200 open wallboards (SSE streams, in a separate process) and 50 calls per second
// of live events on one node, for --seconds. Measured: the delay from an event's publication to its
// arrival on every stream (p50/p95/p99/max) and this process's CPU (the server: HTTP, event bus,
// SSE writes, the wallboard recomputed from the CDR as calls end).
//   npx tsx bench/wallboard/wallboard.ts [--streams 200] [--cps 50] [--seconds 30] [--types wallboard]
// --types subscribes each stream to those event types only (`/api/events?types=`), as the wall-screen
// wallboard does; without it every stream receives every event.
// Each "call" is the events a queue call makes — queue_waiting joined, call ringing, queue_waiting
// answered, call answered, call ended — published on the server's event bus as the switch does, and
// its CDR row written, so the wallboard's SQL sees a growing day. No SIP/RTP runs: this is the fan-out.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { TestSystem } from '../../apps/server/test/test-system';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const streams = Number(arg('streams', '200'));
const cps = Number(arg('cps', '50'));
const seconds = Number(arg('seconds', '30'));
const types = arg('types', '');

// One session for all the streams (a wall of TVs signed in as one supervisor): the per-session cap
// on streams is raised to match; the fan-out is the same as with a session each.
const sys = await TestSystem.start('sqlite', { EVENT_STREAMS_PER_SESSION: String(streams) });
const login = await fetch(`${sys.url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'sam', password: 'sam' }),
});
const cookie = login.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');
const queue = await sys.db
  .selectFrom('queues')
  .select('id')
  .where('name', '=', 'sales')
  .executeTakeFirstOrThrow();

const clients = spawn(
  'npx',
  ['tsx', 'bench/wallboard/clients.ts', sys.url, cookie, String(streams), String(seconds + 5), types],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let out = '';
const ready = new Promise<void>((resolve) =>
  clients.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('ready')) resolve();
  }),
);
await ready;

const bus = sys.deps.events;
let n = 0;
const audience = { minRole: 'supervisor' as const };
async function oneCall(): Promise<void> {
  const i = n++;
  const callId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const at = () => Date.now();
  bus.publish(
    {
      type: 'queue_waiting',
      queueId: queue.id,
      callId,
      change: 'joined',
      callerNumber: '+12025550100',
      position: 1,
      waiting: 1,
      at: at(),
    },
    audience,
  );
  bus.publish(
    {
      type: 'call',
      callId,
      state: 'ringing',
      direction: 'inbound',
      otherParty: '+12025550100',
      queue: 'sales',
      at: at(),
    },
    audience,
  );
  bus.publish(
    {
      type: 'queue_waiting',
      queueId: queue.id,
      callId,
      change: 'answered',
      callerNumber: '+12025550100',
      position: null,
      waiting: 0,
      at: at(),
    },
    audience,
  );
  bus.publish(
    {
      type: 'call',
      callId,
      state: 'answered',
      direction: 'inbound',
      otherParty: '+12025550100',
      queue: 'sales',
      at: at(),
    },
    audience,
  );
  const started = Date.now() - 60_000;
  await sys.db
    .insertInto('calls')
    .values({
      call_uuid: callId,
      type: 'inbound',
      queue_id: queue.id,
      agent_user_id: null,
      customer_id: null,
      customer_number: '+12025550100',
      customer_digits: '12025550100',
      caller_number: '+12025550100',
      called_number: '5550100',
      started_at: started,
      answered_at: started + (i % 40) * 1000,
      ended_at: Date.now(),
      duration_s: 30 + (i % 60),
      disposition: 'answered',
      hangup_cause: 'normal_clearing',
      hangup_side: 'customer',
      transfer_chain: null,
      recording_id: null,
      quality: null,
      status: 'closed',
      node_id: null,
      source_ref: null,
    })
    .execute();
  bus.publish(
    {
      type: 'call',
      callId,
      state: 'ended',
      direction: 'inbound',
      otherParty: '+12025550100',
      queue: 'sales',
      disposition: 'answered',
      at: at(),
    },
    audience,
  );
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const load0 = os.loadavg();
// Paced by elapsed time, not by one timer tick per call: a 20 ms interval drifts, and the calls
// asked for must be the calls made.
const timer = setInterval(() => {
  const due = Math.floor(((performance.now() - t0) / 1000) * cps);
  while (n < due) void oneCall();
}, 5);
await new Promise((r) => setTimeout(r, seconds * 1000));
clearInterval(timer);
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - t0;
const done = await new Promise<string>((resolve) => clients.on('exit', () => resolve(out)));
const result = JSON.parse(done.trim().split('\n').at(-1)!);
console.log(
  JSON.stringify(
    {
      streams,
      types: types || 'all',
      cps,
      seconds,
      calls: n,
      serverCpuPercentOfOneCore: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 1000) / 10,
      loadAverageBefore: load0.map((l) => Math.round(l * 10) / 10),
      loadAverageAfter: os.loadavg().map((l) => Math.round(l * 10) / 10),
      fanOutDelayMs: { p50: result.p50, p95: result.p95, p99: result.p99, max: result.max },
      deliveredEvents: result.events,
      perType: result.perType,
    },
    null,
    2,
  ),
);
await sys.stop();
process.exit(0);
