// Calls per second through the whole switch, with media:
//   sipp carrier (UAC, plays G.711 A-law from a pcap) → DID 5550104 → extension 1004, answered by an
//   auto-answering sipp UAS that echoes RTP (-rtp_echo); the carrier hangs up after --hold ms.
//   npx tsx bench/switch/cps.ts [--seconds 10] [--hold 5000] [--rates 10,25,50,100] [--latency] [--no-media]
// The server runs as a separate process (`node --import tsx apps/server/src/main.ts`, SQLite with the
// demo data), so its CPU (utime+stime from /proc) and RSS are its own. Ramps the rates, stopping at
// the first step with a failed call. INVITE→18x is sipp's response time at the carrier (both hops);
// --latency adds carrier INVITE sent → desk INVITE received (see bench/switch/README.md).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { registerContact } from '../../apps/server/test/call-peers';
import { freePort } from '../../apps/server/test/sip-agents';
import { carrierScenarioXml } from '../../apps/server/test/sipp/carrier-scenario';
import { phoneSdp, uasReply } from '../../apps/server/test/sipp/uas-scenario';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const seconds = Number(arg('seconds', '10'));
const holdMs = Number(arg('hold', '5000'));
const rates = arg('rates', '10,25,50,100').split(',').map(Number);
// --latency: sipp -trace_msg on both sides; INVITE sent by the carrier → INVITE received by the desk,
// matched by the caller number (+1202555<call number>): the switch's INVITE-in → INVITE-out plus two
// loopback hops and sipp's own receive loop.
const latency = process.argv.includes('--latency');
const rtpPorts = arg('rtp-ports', '30000-39999').split('-') as [string, string];
// --no-media: the same calls with no RTP sent (no pcap play, no echo), to separate signalling from media.
const media = !process.argv.includes('--no-media');
// --media-thread worker|main: the server's MEDIA_THREAD (worker is the default, as in production).
const mediaThread = arg('media-thread', 'worker');
if (mediaThread !== 'worker' && mediaThread !== 'main') throw new Error('--media-thread is worker or main');
// --count-statements: the SQLite statements the server runs per completed call, by SQL text
// (count-statements.ts preloaded into the server; background work during the step counts too).
const countStatements = process.argv.includes('--count-statements');
const root = resolve(import.meta.dirname, '../..');
const SIPP = '/usr/bin/sipp';

const carrierXml = carrierScenarioXml({
  caller: '+1202555[call_number]',
  measureRinging: true,
  speech: media ? 'once' : undefined,
  hangUpAfterMs: holdMs,
});

const reply = (status: string, sdp?: string) => uasReply(status, { sdp });
const deskXml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="desk phone 1004: auto-answer, RTP echo">
  <recv request="INVITE" />${reply('180 Ringing')}${reply('200 OK', phoneSdp())}
  <recv request="ACK" />
  <recv request="BYE" />${reply('200 OK')}
</scenario>`;

const work = mkdtempSync(join(tmpdir(), 'sb-switch-cps-'));
writeFileSync(join(work, 'carrier.xml'), carrierXml);
writeFileSync(join(work, 'desk.xml'), deskXml);

/** utime+stime (ms) of a /proc stat file (a process's, or one thread's under task/). */
function cpuMsOf(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // fields 14, 15 (utime, stime), 100 Hz
}

/** CPU (ms) of the whole process and of its main thread (SIP, HTTP, call logic), and RSS (MB). */
function procStats(pid: number): { cpuMs: number; mainMs: number; rssMb: number } {
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return {
    cpuMs: cpuMsOf(`/proc/${pid}/stat`),
    mainMs: cpuMsOf(`/proc/${pid}/task/${pid}/stat`),
    rssMb: Number(rss?.[1] ?? 0) / 1024,
  };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** First INVITE per caller number in a sipp -trace_msg log → its time (ms, µs precision). */
function invites(log: string, dir: 'sent' | 'received'): Map<string, number> {
  const out = new Map<string, number>();
  for (const block of log.split(/^-{20,} /m)) {
    const ts = /^\d{4}-\d\d-\d\d\s+(\d\d):(\d\d):(\d\d(?:\.\d+)?)/.exec(block);
    if (!ts || !block.includes(`message ${dir}`)) continue;
    if (!/^INVITE sip:/m.test(block)) continue;
    const who = /^From:[^\n]*sip:(\+1202555\d+)@/im.exec(block)?.[1];
    if (!who || out.has(who)) continue;
    out.set(who, (Number(ts[1]) * 3600 + Number(ts[2]) * 60 + Number(ts[3])) * 1000);
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

// --pin-main: the server's main thread (SIP, HTTP, call logic, database) alone on CPU 0; its media
// worker and other threads, both sipps and this bench on CPU 1 — what a machine with a core to spare
// for signalling looks like, on a 2-vCPU VM that also runs the load generators.
const pinMain = process.argv.includes('--pin-main');
function pin(cpu: number, pid: number, allThreads: boolean): void {
  spawnSync('taskset', [...(allThreads ? ['-a'] : []), '-p', '-c', String(cpu), String(pid)], {
    stdio: 'ignore',
  });
}
function pinAll(pids: Array<number | undefined>): void {
  if (!pinMain) return;
  for (const tid of readdirSync(`/proc/${serverPid}/task`).map(Number))
    pin(tid === serverPid ? 0 : 1, tid, false);
  for (const pid of [process.pid, ...pids]) if (pid) pin(1, pid, true);
}

/** The switch's own INVITE-forward histogram (cumulative bucket counts by upper bound, seconds). */
async function forwardBuckets(): Promise<Map<number, number>> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const m of text.matchAll(/^switchboard_invite_forward_seconds_bucket\{le="([^"]+)"\} (\d+)/gm))
    buckets.set(m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2]));
  return buckets;
}

/** A quantile (ms) of the observations between two scrapes, interpolated inside its bucket as Prometheus does. */
function bucketQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (counts[i]! < rank) continue;
    const lo = i === 0 ? 0 : bounds[i - 1]!;
    const hi = bounds[i]!;
    if (!Number.isFinite(hi)) return lo * 1000;
    const below = i === 0 ? 0 : counts[i - 1]!;
    return (lo + ((hi - lo) * (rank - below)) / Math.max(1, counts[i]! - below)) * 1000;
  }
  return Number.NaN;
}

function sipp(
  args: string[],
  cwd: string,
): { child: ChildProcess; exited: Promise<number | null>; err: () => string } {
  const child = spawn(SIPP, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, err: () => err };
}

// ---- the server ---------------------------------------------------------------------------------
const sipPort = await freePort();
const httpPort = await freePort();
// --cpu-prof DIR: the server writes V8 CPU profiles (main thread and media worker) into DIR on exit.
const cpuProfDir = arg('cpu-prof', '');
const profArgs = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
const countsDir = join(work, 'statement-counts');
if (countStatements) mkdirSync(countsDir);
const countArgs = countStatements ? ['--import', './bench/switch/count-statements.ts'] : [];
const server = spawn(
  process.execPath,
  [...profArgs, '--import', 'tsx', ...countArgs, 'apps/server/src/main.ts'],
  {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(httpPort),
      SIP_HOST: '127.0.0.1',
      SIP_PORT: String(sipPort),
      DATABASE_URL: `sqlite:${join(work, 'switch.db')}`,
      RECORDINGS_DIR: join(work, 'recordings'),
      WEB_DIST_DIR: join(work, 'no-web'),
      LOG_LEVEL: 'warn',
      RTP_PORT_MIN: rtpPorts[0],
      RTP_PORT_MAX: rtpPorts[1],
      TRUNK_URI: 'sip:127.0.0.1:9', // makes 127.0.0.1 a trunk address: the sipp carrier is allowed
      MEDIA_THREAD: mediaThread,
      ...(countStatements ? { SB_STATEMENT_COUNTS_DIR: countsDir } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let serverLog = '';
server.stdout?.on('data', (d: Buffer) => {
  serverLog = (serverLog + d.toString()).slice(-8000);
});
server.stderr?.on('data', (d: Buffer) => {
  serverLog = (serverLog + d.toString()).slice(-8000);
});
const serverPid = server.pid!;
// A profile is written only on a clean exit: SIGINT lets the server stop itself.
const stopAll: Array<() => void> = [() => server.kill(cpuProfDir ? 'SIGINT' : 'SIGKILL')];
const cleanup = () => {
  for (const s of stopAll.splice(0)) s();
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

// ---- the desk phone: one long-running sipp UAS, 1004 registered to it ---------------------------
const deskPort = await freePort();
const deskMedia = await freePort();
const desk = sipp(
  [
    '-sf',
    join(work, 'desk.xml'),
    '-i',
    '127.0.0.1',
    '-p',
    String(deskPort),
    '-mi',
    '127.0.0.1',
    '-mp',
    String(deskMedia),
    ...(media ? ['-rtp_echo'] : []),
    '-t',
    'u1',
    '-nostdin',
    '-timeout',
    '900s',
    '-max_recv_loops',
    '10000',
    '-trace_err',
    ...(latency ? ['-trace_msg', '-message_file', join(work, 'desk-msg.log')] : []),
  ],
  work,
);
stopAll.push(() => desk.child.kill('SIGKILL'));

let registration: Awaited<ReturnType<typeof registerContact>> | undefined;
const t0 = Date.now();
while (!registration) {
  try {
    registration = await registerContact({ sipPort }, deskPort);
  } catch (e) {
    if (Date.now() - t0 > 60_000) {
      console.error(serverLog);
      throw e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
const reg = registration;
stopAll.push(() => void reg.close());
await new Promise((r) => setTimeout(r, 2000)); // let start-up settle
const idle = procStats(serverPid);

let countDumps = 0;
/** The server's statements since the last call (count-statements.ts): runs and µs by SQL text. */
async function statementCounts(): Promise<Map<string, { n: number; us: number }>> {
  const file = join(countsDir, `${++countDumps}.json`);
  process.kill(serverPid, 'SIGUSR2');
  while (!existsSync(file)) await new Promise((r) => setTimeout(r, 50));
  return new Map(
    Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, { n: number; us: number }>),
  );
}

async function activeCalls(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  return Number(/^switchboard_active_calls (\d+)/m.exec(text)?.[1] ?? 0);
}

/** The statements of a step's calls: counted once every call has ended and its CDR is closed. */
async function printStatements(ok: number): Promise<void> {
  while ((await activeCalls()) > 0) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 1000)); // the last closes' writes
  const counts = [...(await statementCounts())].sort((a, b) => b[1].n - a[1].n);
  const calls = Math.max(1, ok);
  const total = counts.reduce((sum, [, c]) => ({ n: sum.n + c.n, us: sum.us + c.us }), { n: 0, us: 0 });
  console.log(
    `  SQLite statements: ${total.n} for ${ok} calls, ${(total.n / calls).toFixed(2)} per call, ` +
      `${(total.us / calls).toFixed(0)} µs per call running them`,
  );
  console.log('  per call: runs   µs  SQL');
  for (const [text, c] of counts)
    console.log(
      `  ${(c.n / calls).toFixed(2).padStart(6)} ${(c.us / calls).toFixed(0).padStart(5)}  ${text.replace(/\s+/g, ' ').slice(0, 150)}`,
    );
}

interface Step {
  rate: number;
  calls: number;
  ok: number;
  failed: number;
  ringing: number[];
  hop: number[];
  /** In-switch INVITE received → INVITE sent, p50/p95 ms, from /metrics. */
  inSwitch: [number, number];
  peakCalls: number;
  peakRssMb: number;
  baseRssMb: number;
  cpuPct: number;
  mainPct: number;
  cpuMsPerCall: number;
}

async function step(rate: number): Promise<Step> {
  const dir = mkdtempSync(join(work, `step-${rate}-`));
  const calls = Math.round(rate * seconds);
  const deskLogFrom = latency ? fileSize(join(work, 'desk-msg.log')) : 0;
  const base = procStats(serverPid);
  const bucketsBefore = await forwardBuckets();
  if (countStatements) await statementCounts();
  const port = await freePort();
  const mp = await freePort();
  const carrier = sipp(
    [
      `127.0.0.1:${sipPort}`,
      '-sf',
      join(work, 'carrier.xml'),
      '-s',
      '5550104',
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(mp),
      '-t',
      'u1',
      '-r',
      String(rate),
      '-m',
      String(calls),
      '-l',
      String(rate * (holdMs / 1000 + 10)),
      '-trace_rtt',
      '-rtt_freq',
      '1',
      '-trace_stat',
      '-fd',
      '1',
      '-trace_err',
      ...(latency ? ['-trace_msg', '-message_file', join(dir, 'carrier-msg.log')] : []),
      '-nostdin',
      '-timeout',
      `${Math.ceil(seconds + holdMs / 1000 + 40)}s`,
      '-timeout_error',
      '-max_recv_loops',
      '10000',
    ],
    dir,
  );
  stopAll.push(() => carrier.child.kill('SIGKILL'));
  pinAll([carrier.child.pid, desk.child.pid]);
  let peakRssMb = base.rssMb;
  const cpuSamples: Array<{ t: number; cpuMs: number; mainMs: number }> = [];
  const sampler = setInterval(() => {
    const s = procStats(serverPid);
    peakRssMb = Math.max(peakRssMb, s.rssMb);
    cpuSamples.push({ t: Date.now(), cpuMs: s.cpuMs, mainMs: s.mainMs });
  }, 250);
  const code = await carrier.exited;
  clearInterval(sampler);
  const end = procStats(serverPid);
  const bucketsAfter = await forwardBuckets();

  const files = readdirSync(dir);
  const hop: number[] = [];
  if (latency) {
    const sent = invites(readFileSync(join(dir, 'carrier-msg.log'), 'utf8'), 'sent');
    const got = invites(readFileSync(join(work, 'desk-msg.log'), 'utf8').slice(deskLogFrom), 'received');
    for (const [who, t] of got) {
      const t0 = sent.get(who);
      if (t0 !== undefined) hop.push(t - t0);
    }
    hop.sort((a, b) => a - b);
  }
  const ringing: number[] = [];
  const rtt = files.find((f) => f.endsWith('_rtt.csv'));
  if (rtt)
    for (const line of readFileSync(join(dir, rtt), 'utf8').split('\n').slice(1)) {
      const ms = line.split(';')[1];
      if (!ms) continue;
      ringing.push(Number(ms));
    }
  ringing.sort((x, y) => x - y);
  let ok = 0;
  let failed = 0;
  let peakCalls = 0;
  const stat = files.find((f) => f.endsWith('.csv') && !f.endsWith('_rtt.csv'));
  if (stat) {
    const lines = readFileSync(join(dir, stat), 'utf8').trim().split('\n');
    const header = lines[0]!.split(';');
    const cur = header.indexOf('CurrentCall');
    for (const l of lines.slice(1)) peakCalls = Math.max(peakCalls, Number(l.split(';')[cur]));
    const last = lines.at(-1)!.split(';');
    ok = Number(last[header.indexOf('SuccessfulCall(C)')]);
    failed = Number(last[header.indexOf('FailedCall(C)')]);
    if (failed > 0)
      console.error(
        `  failures: ${header
          .map((h, i) => [h, Number(last[i])] as const)
          .filter(([h, v]) => h.startsWith('Failed') && h.endsWith('(C)') && h !== 'FailedCall(C)' && v > 0)
          .map(([h, v]) => `${h.replace('(C)', '')} ${v}`)
          .join(', ')}`,
      );
  }
  if (code !== 0 && failed === 0) failed = Math.max(1, calls - ok);
  if (failed > 0) {
    const errFile = files.find((f) => f.endsWith('_errors.log'));
    if (errFile) {
      const kinds = new Map<string, number>();
      for (const m of readFileSync(join(dir, errFile), 'utf8').matchAll(
        /(Aborting call[^\n]*?(?:on|while) [^\n]*?'(SIP\/2\.0 \d+|[A-Z]+)|Dead call[^\n]*?'(SIP\/2\.0 \d+|[A-Z]+)|[^\n]*timed out[^\n]*)/g,
      )) {
        const k = (m[1] ?? '')
          .replace(/[\d.:-]+@\S+/g, '')
          .replace(/^.*?(Aborting|Dead)/, '$1')
          .slice(0, 170);
        kinds.set(k, (kinds.get(k) ?? 0) + 1);
      }
      for (const [k, n] of kinds) console.error(`  sipp error x${n}: ${k}`);
    }
    if (carrier.err().trim()) console.error(carrier.err().trim().split('\n').slice(-3).join('\n'));
  }
  // CPU while calls are established: the busiest 5 s window of the step.
  let best = 0;
  let bestMain = 0;
  for (let i = 0; i < cpuSamples.length; i++) {
    const j = cpuSamples.findIndex((s) => s.t >= cpuSamples[i]!.t + 5000);
    if (j < 0) break;
    const dt = cpuSamples[j]!.t - cpuSamples[i]!.t;
    best = Math.max(best, (cpuSamples[j]!.cpuMs - cpuSamples[i]!.cpuMs) / dt);
    bestMain = Math.max(bestMain, (cpuSamples[j]!.mainMs - cpuSamples[i]!.mainMs) / dt);
  }
  return {
    rate,
    calls,
    ok,
    failed,
    ringing,
    hop,
    inSwitch: [
      bucketQuantile(bucketsBefore, bucketsAfter, 0.5),
      bucketQuantile(bucketsBefore, bucketsAfter, 0.95),
    ],
    peakCalls,
    peakRssMb,
    baseRssMb: base.rssMb,
    cpuPct: best * 100,
    mainPct: bestMain * 100,
    cpuMsPerCall: (end.cpuMs - base.cpuMs) / Math.max(1, ok),
  };
}

const f = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(n < 10 ? 2 : 1));
console.log(
  `sipp carrier → switch (separate process, pid ${serverPid}) → DID 5550104 → 1004 (sipp UAS${media ? ', -rtp_echo' : ''}); ` +
    `UDP on 127.0.0.1, ${seconds} s of calls per step, BYE after ${holdMs} ms, ${media ? 'G.711 A-law both ways' : 'NO media'}. ` +
    `Media in the ${mediaThread} thread${pinMain ? ' (main thread pinned alone to CPU 0)' : ''}. Server idle: RSS ${idle.rssMb.toFixed(0)} MB.`,
);
console.log(
  'rate/s calls  ok    failed | INVITE→18x ms p50 p95 | carrier INVITE → desk INVITE ms p50 p95 (n) | in switch ms p50 p95 | ' +
    'peak calls | CPU % process/main thread (busiest 5 s) ms/call | RSS base→peak MB  KB/call',
);
for (const rate of rates) {
  const r = await step(rate);
  const kbPerCall = r.peakCalls > 0 ? ((r.peakRssMb - r.baseRssMb) * 1024) / r.peakCalls : Number.NaN;
  console.log(
    `${String(r.rate).padEnd(6)} ${String(r.calls).padEnd(6)} ${String(r.ok).padEnd(5)} ${String(r.failed).padEnd(6)} | ` +
      `${f(percentile(r.ringing, 50))} ${f(percentile(r.ringing, 95))} | ` +
      `${f(percentile(r.hop, 50))} ${f(percentile(r.hop, 95))} (${r.hop.length}) | ` +
      `${f(r.inSwitch[0])} ${f(r.inSwitch[1])} | ` +
      `${r.peakCalls} | ${r.cpuPct.toFixed(0)}/${r.mainPct.toFixed(0)} ${r.cpuMsPerCall.toFixed(2)} | ` +
      `${r.baseRssMb.toFixed(0)}→${r.peakRssMb.toFixed(0)} ${f(kbPerCall)}`,
  );
  if (countStatements) await printStatements(r.ok);
  if (r.failed > 0) break;
  await new Promise((res) => setTimeout(res, 3000)); // let the switch drain between steps
}
cleanup();
rmSync(work, { recursive: true, force: true });
process.exit(0);
