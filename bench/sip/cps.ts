// Signalling calls per second: sipp UAC -> B2BUA-like app on the stack, ramped until calls fail.
//   npx tsx bench/sip/cps.ts [seconds-per-step] [rates...]
// Default: 10 s per step at 200, 300, 400, 500, 600, 700, 800, 1000 calls/s, stopping at the first
// step with a failed call. Reports INVITE->180 p50/p95/p99 from sipp's per-call response times.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@switchboard/test-support';
import { startB2bua } from './b2bua-app';

const seconds = Number(process.argv[2] ?? 10);
const rates =
  process.argv.length > 3 ? process.argv.slice(3).map(Number) : [200, 300, 400, 500, 600, 700, 800, 1000];
const scenario = join(import.meta.dirname, 'scenarios/uac-server-bye.xml');

interface StepResult {
  rate: number;
  calls: number;
  successful: number;
  failed: number;
  p50: number;
  p95: number;
  p99: number;
  cpuMsPerCall: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function step(rate: number): Promise<StepResult> {
  const { stack, stats } = await startB2bua(0);
  const dir = mkdtempSync(join(tmpdir(), 'sipp-cps-'));
  const port = await freePort();
  const calls = rate * seconds;
  const cpu0 = process.cpuUsage();
  const child = spawn(
    '/usr/bin/sipp',
    [
      `127.0.0.1:${stack.port}`,
      '-sf',
      scenario,
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-r',
      String(rate),
      '-m',
      String(calls),
      '-l',
      String(rate * 4),
      '-trace_rtt',
      '-rtt_freq',
      '1',
      '-trace_stat',
      '-fd',
      '1',
      '-timer_resol',
      '1',
      '-trace_err',
      '-nostdin',
      '-timeout',
      `${seconds + 40}s`,
      '-timeout_error',
      '-max_recv_loops',
      '10000',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const cpu = process.cpuUsage(cpu0);
  const rttFile = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
  const statFile = readdirSync(dir).find(
    (f) => f.endsWith('_.csv') || (f.endsWith('.csv') && !f.endsWith('_rtt.csv')),
  );
  const times: number[] = [];
  if (rttFile) {
    for (const line of readFileSync(join(dir, rttFile), 'utf8').split('\n').slice(1)) {
      const parts = line.split(';');
      if (parts.length >= 2 && parts[1]) times.push(Number(parts[1]));
    }
  }
  times.sort((a, b) => a - b);
  let successful = 0;
  let failed = 0;
  if (statFile) {
    const lines = readFileSync(join(dir, statFile), 'utf8').trim().split('\n');
    const header = lines[0]!.split(';');
    const last = lines[lines.length - 1]!.split(';');
    successful = Number(last[header.indexOf('SuccessfulCall(C)')]);
    failed = Number(last[header.indexOf('FailedCall(C)')]);
  }
  if (code !== 0 && failed === 0) failed = Math.max(1, calls - successful);
  if (err.trim()) console.error(err.trim().split('\n').slice(-3).join('\n'));
  const errFile = readdirSync(dir).find((f) => f.endsWith('_errors.log'));
  if (errFile && failed > 0) {
    const text = readFileSync(join(dir, errFile), 'utf8');
    const kinds = new Map<string, number>();
    for (const m of text.matchAll(
      /^.*?(Aborting call[^\n]*|Unexpected[^\n]*|Call-Id[^\n]*timeout[^\n]*|[^\n]*timed out[^\n]*)$/gim,
    )) {
      const k = (m[1] ?? '').replace(/\d+/g, 'N').slice(0, 120);
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    for (const [k, n] of kinds) console.error(`  sipp error x${n}: ${k}`);
  }
  rmSync(dir, { recursive: true, force: true });
  await stack.close();
  void stats;
  return {
    rate,
    calls,
    successful,
    failed,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / Math.max(1, successful),
  };
}

console.log(
  `sipp UAC -> stack B2BUA app, UDP on 127.0.0.1, ${seconds} s per step, call hold 1 s (BYE from the app)`,
);
console.log('rate/s  calls  ok     failed  INVITE->180 p50  p95     p99     app CPU ms/call');
for (const rate of rates) {
  const r = await step(rate);
  console.log(
    `${String(r.rate).padEnd(7)} ${String(r.calls).padEnd(6)} ${String(r.successful).padEnd(6)} ${String(r.failed).padEnd(7)} ` +
      `${r.p50.toFixed(2).padEnd(16)} ${r.p95.toFixed(2).padEnd(7)} ${r.p99.toFixed(2).padEnd(7)} ${r.cpuMsPerCall.toFixed(3)}`,
  );
  if (r.failed > 0) break;
}
