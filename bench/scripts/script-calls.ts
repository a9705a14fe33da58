// Concurrent call scripts against sipp: <calls> scripts started at once, each originating leg A
// through one sipp carrier (it answers, waits, types 1 2 # from sip-tester's RFC 4733 pcaps), playing
// a prompt, collecting the digits, originating leg B through a second sipp carrier (answers, echoes
// RTP) and bridging them for --bridge ms.
//   npx tsx bench/scripts/script-calls.ts [--calls 200] [--bridge 5000] [--rtp-ports 30000-39999]
// The server runs as its own process (bench/scripts/script-server.ts: the real system plus the
// script), so its CPU (utime+stime from /proc) and RSS are its own. Prints failed calls by stage,
// set-up time (start → both legs up and digits collected) and CPU per call.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { answeringCarrier, typeDigits } from '../../apps/server/test/script-peers';
import { freeMediaPorts, freePort } from '../../apps/server/test/sip-agents';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const calls = Number(arg('calls', '200'));
const bridgeMs = Number(arg('bridge', '5000'));
const rtpPorts = arg('rtp-ports', '30000-39999').split('-') as [string, string];
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'sb-bench-scripts-'));

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

function sipp(scenario: string, port: number, extra: string[]) {
  const child = spawn(
    '/usr/bin/sipp',
    [
      '-sf',
      scenario,
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-t',
      'u1',
      '-nostdin',
      '-m',
      String(calls),
      ...extra,
    ],
    { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited };
}

const portA = await freePort();
const portB = await freePort();
const a = sipp(answeringCarrier(typeDigits('12#', 1500)), portA, [
  '-mi',
  '127.0.0.1',
  '-mp',
  String(await freeMediaPorts()),
]);
const b = sipp(answeringCarrier(), portB, [
  '-mi',
  '127.0.0.1',
  '-mp',
  String(await freeMediaPorts()),
  '-rtp_echo',
]);

const server = spawn(process.execPath, ['--import', 'tsx', 'bench/scripts/script-server.ts'], {
  cwd: root,
  env: {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(await freePort()),
    SIP_HOST: '127.0.0.1',
    SIP_PORT: String(await freePort()),
    DATABASE_URL: `sqlite:${join(work, 'bench.db')}`,
    RECORDINGS_DIR: join(work, 'recordings'),
    WEB_DIST_DIR: join(work, 'no-web'),
    LOG_LEVEL: 'warn',
    RTP_PORT_MIN: rtpPorts[0],
    RTP_PORT_MAX: rtpPorts[1],
    BENCH_TRUNK_A: `sip:127.0.0.1:${portA}`,
    BENCH_TRUNK_B: `sip:127.0.0.1:${portB}`,
  },
  stdio: ['pipe', 'pipe', 'pipe'],
});
const stop = () => {
  server.kill('SIGKILL');
  a.child.kill('SIGKILL');
  b.child.kill('SIGKILL');
};
process.on('exit', stop);
let out = '';
const lines: Array<(line: string) => void> = [];
const onData = (d: Buffer) => {
  out += d.toString();
  let i = out.indexOf('\n');
  while (i >= 0) {
    const line = out.slice(0, i);
    out = out.slice(i + 1);
    for (const l of lines) l(line);
    i = out.indexOf('\n');
  }
};
server.stdout.on('data', onData);
server.stderr.on('data', (d: Buffer) => process.stderr.write(d));
const nextLine = (test: (l: string) => boolean) =>
  new Promise<string>((resolveLine) => {
    const l = (line: string) => {
      if (!test(line)) return;
      lines.splice(lines.indexOf(l), 1);
      resolveLine(line);
    };
    lines.push(l);
  });
await nextLine((l) => l.includes('SIP on UDP and TCP'));
// Let start-up work (migrations, demo data, media worker spares) settle before measuring.
await new Promise((r) => setTimeout(r, 2000));

const cpu0 = cpuMs(server.pid!);
const t0 = performance.now();
const result = nextLine((l) => l.startsWith('RESULT '));
server.stdin.write(`run ${calls} ${bridgeMs}\n`);
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, rssMb(server.pid!));
}, 250);
const r = JSON.parse((await result).slice('RESULT '.length)) as {
  outcomes: Array<{ ok: boolean; stage: string; setupMs: number }>;
  openLegs: number;
  mediaLegs: number;
  timers: number;
};
clearInterval(sampler);
const wallMs = performance.now() - t0;
const cpu = cpuMs(server.pid!) - cpu0;
const failed = r.outcomes.filter((o) => !o.ok);
const byStage = new Map<string, number>();
for (const f of failed) byStage.set(f.stage, (byStage.get(f.stage) ?? 0) + 1);
const setup = r.outcomes
  .filter((o) => o.ok)
  .map((o) => o.setupMs)
  .sort((x, y) => x - y);
const pct = (p: number) =>
  setup[Math.min(setup.length - 1, Math.floor((p / 100) * setup.length))] ?? Number.NaN;
console.log(`${calls} concurrent script calls (bridge ${bridgeMs} ms), ${(wallMs / 1000).toFixed(1)} s wall`);
console.log(
  `  failed: ${failed.length}${failed.length ? ` (${[...byStage].map(([s, n]) => `${s}: ${n}`).join(', ')})` : ''}`,
);
console.log(
  `  set-up (start → digits collected → B answered): p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms`,
);
console.log(
  `  server CPU: ${cpu} ms in all = ${(cpu / calls).toFixed(1)} ms per call (${((cpu / wallMs) * 100).toFixed(0)} % of a core over the run); peak RSS ${peakRss.toFixed(0)} MB`,
);
console.log(`  left after the run: ${r.openLegs} script legs, ${r.mediaLegs} media legs, ${r.timers} timers`);
// Each carrier exits by itself (0) once its calls are over; what is still running after 5 s is killed.
const [ea, eb] = await Promise.all(
  [a.exited, b.exited].map((e) =>
    Promise.race([e, new Promise((r) => setTimeout(() => r('still running'), 5000))]),
  ),
);
stop();
writeFileSync(join(work, 'done'), '');
if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
else console.log(`  kept ${work}`);
console.log(`  sipp exit codes: carrier A ${ea}, carrier B ${eb}`);
process.exit(failed.length === 0 ? 0 : 1);
