// ACD under load: 1,000 calls waiting across 10 queues with 100 registered agents.
//   npx tsx bench/acd/acd.ts [--queues 10] [--agents 100] [--calls 1000] [--talk 1000] [--hold-window 10]
// The switch runs in this process (TestSystem: SQLite, demo data + 10 bench queues, DIDs 5560000…,
// 100 agents 3000… with SIP extensions); sipp carriers (one per queue DID) place the calls, which
// wait with hold music while every agent is paused; one sipp UAS answers for all 100 agents (each
// extension registered to it from a SipStack here) and hangs up after --talk ms. Then all agents go
// idle at once and the queues drain. Measured:
//   - delivery decision latency: agent free (call over, unpaused) → offer of a waiting call handed to
//     the switch, instrumented in QueueService (`deliveryDecisionsMs`);
//   - on the wire: the agent's BYE sent → that agent's next INVITE received (sipp -trace_msg);
//   - CPU of this process (process.cpuUsage: the switch plus the idle registration stacks) while
//     1,000 callers wait (hold music to each) and while the queues drain; the load average.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { registerContact } from '../../apps/server/test/call-peers';
import { freePort } from '../../apps/server/test/sip-agents';
import { carrierScenarioXml } from '../../apps/server/test/sipp/carrier-scenario';
import { phoneSdp, uasReply } from '../../apps/server/test/sipp/uas-scenario';
import { TestSystem } from '../../apps/server/test/test-system';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const queueCount = Number(arg('queues', '10'));
const agentCount = Number(arg('agents', '100'));
const callCount = Number(arg('calls', '1000'));
const talkMs = Number(arg('talk', '1000'));
const holdWindowS = Number(arg('hold-window', '10'));
const SIPP = '/usr/bin/sipp';
const work = mkdtempSync(join(os.tmpdir(), 'sb-bench-acd-'));

// Each caller waits (hold music) until the switch hangs up.
const carrierXml = carrierScenarioXml({ caller: '+1202555[call_number]', displayName: 'Carrier' });

const reply = (status: string, sdp?: string) => uasReply(status, { sdp, contactUser: '[$ext]' });
// Every agent's phone: answers at once, talks --talk ms, hangs up (the agent frees up).
const agentsXml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="agents: auto-answer, BYE after ${talkMs} ms">
  <recv request="INVITE" rrs="true">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="caller" />
      <ereg regexp="sip:([0-9]+)@" search_in="hdr" header="To:" check_it="true" assign_to="trash,ext" />
    </action>
  </recv>${reply('180 Ringing')}${reply('200 OK', phoneSdp())}
  <recv request="ACK" />
  <pause milliseconds="${talkMs}" />
  <send retrans="500"><![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[$ext]@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
      To:[$caller]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <recv response="200" />
  <Reference variables="trash" />
</scenario>`;
writeFileSync(join(work, 'carrier.xml'), carrierXml);
writeFileSync(join(work, 'agents.xml'), agentsXml);

function sipp(args: string[]): { child: ChildProcess; exited: Promise<number | null>; err: () => string } {
  const child = spawn(SIPP, args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, err: () => err };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (n: number) => (Number.isNaN(n) ? '-' : n < 1 ? n.toFixed(3) : n.toFixed(n < 10 ? 2 : 1));

async function until(test: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---- the switch, the queues, the agents --------------------------------------------------------
const load0 = os.loadavg();
const sys = await TestSystem.start(
  'sqlite',
  { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: '20000', RTP_PORT_MAX: '29999' },
  // No RTP from the bench's carriers and agents: media inactivity must not end calls that wait minutes.
  { trunks: { optionsIntervalMs: 0 }, calls: { inactivityTimeoutMs: 3_600_000 } },
);
const stopAll: Array<() => unknown> = [];
const cleanup = async () => {
  for (const s of stopAll.splice(0).reverse()) await s();
  rmSync(work, { recursive: true, force: true });
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
stopAll.push(() => sys.stop());

const now = Date.now();
const queueIds: number[] = [];
for (let q = 0; q < queueCount; q++) {
  const row = await sys.db
    .insertInto('queues')
    .values({
      name: `bench-${q}`,
      strategy: 'longest-idle',
      wrapup_s: 0,
      ring_timeout_s: 15,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  queueIds.push(row.id);
  await sys.db
    .insertInto('inbound_routes')
    .values({ number: String(5560000 + q), target_type: 'queue', target_id: String(row.id), created_at: now })
    .execute();
}
const agents: Array<{ userId: number; ext: string; queueId: number }> = [];
for (let a = 0; a < agentCount; a++) {
  const ext = String(3000 + a);
  const user = await sys.db
    .insertInto('users')
    .values({
      username: `bench${a}`,
      agent_id: ext,
      display_name: `Bench ${a}`,
      role: 'agent',
      password_hash: 'not-used',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sys.db
    .insertInto('extensions')
    .values({ user_id: user.id, number: ext, type: 'sip', sip_secret: 'bench-secret', created_at: now })
    .execute();
  const queueId = queueIds[a % queueCount]!;
  await sys.db.insertInto('queue_members').values({ queue_id: queueId, user_id: user.id }).execute();
  agents.push({ userId: user.id, ext, queueId });
}
await sys.deps.agents.reload();
await sys.deps.queues.reload();
const system = { kind: 'system' as const, id: null };
for (const a of agents) await sys.deps.agents.update(a.userId, { status: 'paused', reason: 'Break' }, system);

const agentPort = await freePort();
const phones = sipp([
  '-sf',
  join(work, 'agents.xml'),
  '-i',
  '127.0.0.1',
  '-p',
  String(agentPort),
  '-mi',
  '127.0.0.1',
  '-mp',
  String(await freePort()),
  '-t',
  'u1',
  '-nostdin',
  '-timeout',
  '900s',
  '-max_recv_loops',
  '10000',
  '-trace_msg',
  '-message_file',
  join(work, 'agents-msg.log'),
  '-trace_err',
]);
stopAll.push(() => phones.child.kill('SIGKILL'));
await new Promise((r) => setTimeout(r, 500));
for (const a of agents) {
  const reg = await registerContact(sys, agentPort, a.ext, 'bench-secret');
  stopAll.push(() => reg.close());
}

// ---- 1,000 callers wait ------------------------------------------------------------------------
const waiting = () => queueIds.reduce((n, q) => n + sys.deps.queues.waitingCount(q), 0);
const perQueue = Math.ceil(callCount / queueCount);
const carriers = [];
for (let q = 0; q < queueCount; q++) {
  const calls = Math.min(perQueue, callCount - q * perQueue);
  if (calls <= 0) break;
  const c = sipp([
    `127.0.0.1:${sys.sipPort}`,
    '-sf',
    join(work, 'carrier.xml'),
    '-s',
    String(5560000 + q),
    '-i',
    '127.0.0.1',
    '-p',
    String(await freePort()),
    '-mi',
    '127.0.0.1',
    '-mp',
    String(await freePort()),
    '-t',
    'u1',
    '-r',
    '20',
    '-m',
    String(calls),
    '-l',
    String(calls),
    '-nostdin',
    '-timeout',
    '900s',
    '-max_recv_loops',
    '10000',
    '-trace_err',
  ]);
  stopAll.push(() => c.child.kill('SIGKILL'));
  carriers.push(c);
}
const t0 = Date.now();
const rss0 = process.memoryUsage().rss;
const progress = setInterval(() => console.log(`  … ${waiting()} waiting`), 10_000);
try {
  await until(() => waiting() === callCount, `${callCount} callers waiting`, 180_000);
} catch (e) {
  for (const c of carriers) console.error(c.err().trim().split('\n').slice(-3).join('\n'));
  throw e;
} finally {
  clearInterval(progress);
}
const rssWaiting = process.memoryUsage().rss;
console.log(
  `${callCount} callers waiting in ${queueCount} queues after ${((Date.now() - t0) / 1000).toFixed(1)} s`,
);
const cpuWait0 = process.cpuUsage();
const wallWait0 = performance.now();
await new Promise((r) => setTimeout(r, holdWindowS * 1000));
const cpuWait = process.cpuUsage(cpuWait0);
const waitPct = ((cpuWait.user + cpuWait.system) / 1000 / (performance.now() - wallWait0)) * 100;
const loadWaiting = os.loadavg();

// ---- every agent goes idle: the queues drain ---------------------------------------------------
const answered0 = await sys.db
  .selectFrom('calls')
  .select(sys.db.fn.countAll<number>().as('n'))
  .where('queue_id', 'in', queueIds)
  .where('answered_at', 'is not', null)
  .executeTakeFirstOrThrow();
const cpuDrain0 = process.cpuUsage();
const wallDrain0 = performance.now();
for (const a of agents) await sys.deps.agents.update(a.userId, { status: 'idle' }, system);
const statuses = () => {
  const n = new Map<string, number>();
  for (const a of agents) {
    const st = sys.deps.agents.board.get(a.userId)?.status ?? '?';
    n.set(st, (n.get(st) ?? 0) + 1);
  }
  return [...n].map(([k, v]) => `${k} ${v}`).join(', ');
};
const drainProgress = setInterval(
  () =>
    console.log(
      `  … ${waiting()} waiting, ${sys.deps.calls.activeCount} calls, agents: ${statuses()}, ` +
        `${sys.deps.queues.deliveryDecisionsMs().length} decisions`,
    ),
  10_000,
);
try {
  await until(() => waiting() === 0, 'the queues drained', 420_000);
} finally {
  clearInterval(drainProgress);
}
const timedOut = Symbol('timed out');
const codes = await Promise.race([
  Promise.all(carriers.map((c) => c.exited)),
  new Promise<typeof timedOut>((r) => setTimeout(() => r(timedOut), 60_000)),
]);
if (codes === timedOut) {
  // Calls that never ended: say which and what sipp logged, and keep the work directory.
  const open = [...sys.deps.calls.calls.values()];
  console.error(
    `${open.length} calls still up: ${open
      .slice(0, 5)
      .map((c) => `${c.uuid} ${c.state}`)
      .join('; ')}`,
  );
  for (const f of readdirSync(work).filter((n) => n.endsWith('_errors.log')))
    console.error(f, readFileSync(join(work, f), 'utf8').slice(0, 3000));
  console.error(`work directory kept: ${work}`);
  process.exit(1);
}
const drainMs = performance.now() - wallDrain0;
const cpuDrain = process.cpuUsage(cpuDrain0);
const drainPct = ((cpuDrain.user + cpuDrain.system) / 1000 / drainMs) * 100;
const loadEnd = os.loadavg();
await until(() => sys.deps.calls.activeCount === 0, 'calls over', 30_000);
const answered = await sys.db
  .selectFrom('calls')
  .select(sys.db.fn.countAll<number>().as('n'))
  .where('queue_id', 'in', queueIds)
  .where('answered_at', 'is not', null)
  .executeTakeFirstOrThrow();

// ---- the agent's view: BYE sent → next INVITE received, per agent --------------------------------
const events = new Map<string, Array<{ t: number; kind: 'bye' | 'invite' }>>();
for (const block of readFileSync(join(work, 'agents-msg.log'), 'utf8').split(/^-{20,} /m)) {
  const ts = /^\d{4}-\d\d-\d\d\s+(\d\d):(\d\d):(\d\d(?:\.\d+)?)/.exec(block);
  if (!ts) continue;
  const t = (Number(ts[1]) * 3600 + Number(ts[2]) * 60 + Number(ts[3])) * 1000;
  const invite = block.includes('message received') ? /^INVITE sip:(\d+)@/m.exec(block) : null;
  const bye = block.includes('message sent')
    ? /^BYE sip:[^\n]*\n(?:[^\n]*\n)*?From: <sip:(\d+)@/m.exec(block)
    : null;
  const hit = invite ?? bye;
  if (!hit) continue;
  const list = events.get(hit[1]!) ?? [];
  // Retransmissions repeat a message: keep the first of each.
  const kind = invite ? 'invite' : 'bye';
  if (list.at(-1)?.kind !== kind) list.push({ t, kind });
  events.set(hit[1]!, list);
}
const wire: number[] = [];
for (const list of events.values())
  for (let i = 0; i + 1 < list.length; i++)
    if (list[i]!.kind === 'bye' && list[i + 1]!.kind === 'invite') wire.push(list[i + 1]!.t - list[i]!.t);
wire.sort((a, b) => a - b);
const decisions = sys.deps.queues.deliveryDecisionsMs().sort((a, b) => a - b);

const served = Number(answered.n) - Number(answered0.n);
console.log(
  `\n${queueCount} queues, ${agentCount} agents (sipp UAS, BYE after ${talkMs} ms), ${callCount} calls; ` +
    `carriers exited ${codes.every((c) => c === 0) ? 'cleanly' : `with ${codes.join(',')}`}; answered ${served}`,
);
console.log(
  `delivery decision (agent free → offer): n=${decisions.length} p50 ${ms(percentile(decisions, 50))} ms, ` +
    `p99 ${ms(percentile(decisions, 99))} ms, max ${ms(decisions.at(-1) ?? Number.NaN)} ms`,
);
console.log(
  `agent BYE sent → next INVITE received: n=${wire.length} p50 ${ms(percentile(wire, 50))} ms, ` +
    `p99 ${ms(percentile(wire, 99))} ms, max ${ms(wire.at(-1) ?? Number.NaN)} ms`,
);
console.log(
  `CPU (switch process): ${waitPct.toFixed(0)} % of one core while ${callCount} callers wait (hold music, ${holdWindowS} s); ` +
    `${drainPct.toFixed(0)} % while the queues drain (${(drainMs / 1000).toFixed(1)} s, ${((cpuDrain.user + cpuDrain.system) / 1000 / Math.max(1, served)).toFixed(2)} ms CPU per call)`,
);
console.log(
  `RSS ${(rss0 / 2 ** 20).toFixed(0)} MB with no call → ${(rssWaiting / 2 ** 20).toFixed(0)} MB with ${callCount} waiting ` +
    `(${((rssWaiting - rss0) / 1024 / callCount).toFixed(0)} KB per waiting call)`,
);
console.log(
  `load average (1/5/15 min): start ${load0.map((l) => l.toFixed(2)).join(' ')}, waiting ${loadWaiting
    .map((l) => l.toFixed(2))
    .join(' ')}, end ${loadEnd.map((l) => l.toFixed(2)).join(' ')}; ${os.cpus().length} CPUs`,
);
await cleanup();
process.exit(0);
