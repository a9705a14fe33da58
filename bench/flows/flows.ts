// Concurrent calls through a published call flow, against sipp: <calls> callers ring the flow's
// number (half of them press 1 and wait in a queue, half press 2, type 1 # and hear goodbye), RFC 4733 digits
// from sip-tester's captures. The flow: time condition → menu → queue / collect → goodbye + hang up.
//   npx tsx bench/flows/flows.ts [--calls 500] [--rate 100] [--type-after 8000] [--wait 20000]
// The server runs as its own process (bench/flows/flows-server.ts: the real system plus the flow),
// so its CPU (utime+stime from /proc) and RSS are its own. Prints failed calls, CPU per call, the
// menu → key time, and the machine's load average.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeMediaPorts, freePort } from '../../apps/server/test/sip-agents';
import { callerScenarioXml, typeDigits } from '../../apps/server/test/sipp/caller-scenario';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const calls = Number(arg('calls', '500'));
const rate = Number(arg('rate', '100'));
const typeAfterMs = Number(arg('type-after', '8000'));
const waitMs = Number(arg('wait', '20000'));
const rtpPorts = arg('rtp-ports', '30000-39999').split('-') as [string, string];
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'sb-bench-flows-'));
const DID = '5550150';

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

const sipPort = await freePort();
const callerPorts = [await freePort(), await freePort()];
// A run that goes wrong ends here rather than hanging.
setTimeout(
  () => {
    console.log('  the run did not finish in time');
    process.exit(1);
  },
  120_000 + typeAfterMs + waitMs + (calls / rate) * 1000 * 3,
).unref();
const server = spawn(process.execPath, ['--import', 'tsx', 'bench/flows/flows-server.ts'], {
  cwd: root,
  env: {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(await freePort()),
    SIP_HOST: '127.0.0.1',
    SIP_PORT: String(sipPort),
    DATABASE_URL: `sqlite:${join(work, 'bench.db')}`,
    RECORDINGS_DIR: join(work, 'recordings'),
    SOUNDS_DIR: join(work, 'sounds'),
    WEB_DIST_DIR: join(work, 'no-web'),
    LOG_LEVEL: 'warn',
    RTP_PORT_MIN: rtpPorts[0],
    RTP_PORT_MAX: rtpPorts[1],
    BENCH_DID: DID,
    BENCH_TRUNKS: callerPorts.map((p) => `sip:127.0.0.1:${p}`).join(','),
  },
  stdio: ['pipe', 'pipe', 'pipe'],
});
const children: Array<{ kill(signal: NodeJS.Signals): boolean }> = [server];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
let out = '';
const lines: Array<(line: string) => void> = [];
server.stdout.on('data', (d: Buffer) => {
  out += d.toString();
  let i = out.indexOf('\n');
  while (i >= 0) {
    const line = out.slice(0, i);
    out = out.slice(i + 1);
    for (const l of [...lines]) l(line);
    i = out.indexOf('\n');
  }
});
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

/** One sipp caller process: `n` calls at `rate` per second, `digits` typed `typeAfterMs` after the answer. */
async function callers(
  n: number,
  digits: string,
  callerNumber: string,
  port: number,
  hangUpAfterMs?: number,
) {
  const file = join(work, `caller-${digits.replace('#', 'pound')}.xml`);
  writeFileSync(
    file,
    callerScenarioXml({
      caller: callerNumber,
      afterAnswer: typeDigits(digits, typeAfterMs),
      ...(hangUpAfterMs !== undefined ? { hangUpAfterMs } : {}),
    }),
  );
  const child = spawn(
    '/usr/bin/sipp',
    [
      '-sf',
      file,
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-t',
      'u1',
      '-nostdin',
      '-s',
      DID,
      '-m',
      String(n),
      '-l',
      String(n),
      '-r',
      String(rate / 2),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(await freeMediaPorts()),
      '-timeout',
      String(Math.ceil((typeAfterMs + waitMs) / 1000) + 120),
      `127.0.0.1:${sipPort}`,
    ],
    { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { exited, stderr: () => stderr };
}

const load0 = loadavg();
const cpu0 = cpuMs(server.pid!);
const t0 = performance.now();
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, rssMb(server.pid!));
}, 250);
const pressOne = Math.ceil(calls / 2);
const queued = await callers(pressOne, '1', '+12025550101', callerPorts[0]!, waitMs);
const goodbye = await callers(calls - pressOne, '21#', '+12025550102', callerPorts[1]!);
// Every caller is done (the queue's after hanging up) before the server is asked for its figures.
const [codeQueued, codeGoodbye] = await Promise.all([queued.exited, goodbye.exited]);
const result = nextLine((l) => l.startsWith('RESULT '));
server.stdin.write(`wait ${calls}\n`);
const r = JSON.parse((await result).slice('RESULT '.length)) as {
  calls: Array<{ keyMs?: number; exit?: string; collected?: string; end?: string }>;
  peakLegs: number;
  openCdrs: number;
  live: { enteredToday: Record<string, number>; exitsToday: Record<string, number> };
  openLegs: number;
  mediaLegs: number;
  timers: number;
};
clearInterval(sampler);
const wallMs = performance.now() - t0;
const cpu = cpuMs(server.pid!) - cpu0;
const load1 = loadavg();
const expected = (c: { exit?: string; collected?: string; end?: string }) =>
  (c.exit === 'key:1' && c.end === 'queued') ||
  (c.exit === 'key:2' && c.collected === 'next' && c.end === 'hangup');
const failed = r.calls.filter((c) => !expected(c));
const outcomes = new Map<string, number>();
for (const c of failed) {
  const k = `${c.exit ?? 'no exit'} → ${c.collected ?? '-'} → ${c.end ?? 'no end'}`;
  outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
}
const keyMs = r.calls
  .flatMap((c) => (c.keyMs === undefined ? [] : [c.keyMs - typeAfterMs]))
  .sort((x, y) => x - y);
const pct = (p: number) =>
  keyMs[Math.min(keyMs.length - 1, Math.floor((p / 100) * keyMs.length))] ?? Number.NaN;
console.log(
  `${calls} calls into a flow at ${rate}/s (type after ${typeAfterMs} ms, queue callers stay ${waitMs} ms), ${(wallMs / 1000).toFixed(1)} s wall`,
);
console.log(
  `  failed: ${failed.length + Math.max(0, calls - r.calls.length)}${outcomes.size ? ` (${[...outcomes].map(([s, n]) => `${s}: ${n}`).join(', ')})` : ''}; flows ended: ${r.calls.length}`,
);
console.log(`  calls up at once (caller legs open in the switch): ${r.peakLegs} at the peak`);
console.log(
  `  menu entered → key taken, minus the ${typeAfterMs} ms sipp waits: p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms, max ${pct(100).toFixed(0)} ms`,
);
console.log(
  `  server CPU: ${cpu} ms in all = ${(cpu / calls).toFixed(1)} ms per call (${((cpu / wallMs) * 100).toFixed(0)} % of a core over the run); peak RSS ${peakRss.toFixed(0)} MB`,
);
console.log(`  counts kept for the version: ${JSON.stringify(r.live.exitsToday)}`);
console.log(
  `  left after the run: ${r.openCdrs} open CDRs, ${r.openLegs} script legs, ${r.mediaLegs} media legs, ${r.timers} timers`,
);
console.log(`  sipp exit codes: press 1 ${codeQueued}, press 2 ${codeGoodbye}`);
for (const [name, c] of [
  ['press 1', queued],
  ['press 2', goodbye],
] as const)
  if ((name === 'press 1' ? codeQueued : codeGoodbye) !== 0 && c.stderr().trim())
    console.log(`  sipp ${name} said: ${c.stderr().trim().split('\n').slice(-3).join(' | ')}`);
console.log(
  `  load average: ${load0.map((l) => l.toFixed(1)).join(' ')} at the start, ${load1.map((l) => l.toFixed(1)).join(' ')} at the end`,
);
for (const c of children) c.kill('SIGKILL');
if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
else console.log(`  kept ${work}`);
process.exit(failed.length === 0 && r.calls.length === calls ? 0 : 1);
