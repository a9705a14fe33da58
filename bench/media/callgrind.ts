// Instructions per forwarded packet, counted by callgrind: repeatable on a shared machine, where wall-clock
// latency and even CPU time per packet are not. Runs callgrind-relay.ts under valgrind (instrumentation
// off while it starts and the JIT warms up), then counts user-space instructions of the relay process
// while exactly --rounds rounds go through it (one packet each way per call per round, the next round
// sent when the previous one is back), minus the idle rate (timers) measured right after. Kernel time
// (the UDP syscalls themselves) is not counted.
// Run: npx tsx bench/media/callgrind.ts [--mode rtp|echo] [--calls 20] [--warmup 300] [--rounds 200]
//   [--annotate]
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { arg } from './lib';

const mode = arg('mode', 'rtp');
const calls = Number(arg('calls', '20'));
const warmup = Number(arg('warmup', '300'));
const rounds = Number(arg('rounds', '200'));
const outDir = `/tmp/callgrind-media-${process.pid}`;

const sideA = dgram.createSocket('udp4');
const sideB = dgram.createSocket('udp4');
await Promise.all([
  new Promise<void>((r) => sideA.bind(0, '127.0.0.1', r)),
  new Promise<void>((r) => sideB.bind(0, '127.0.0.1', r)),
]);
let back = 0;
let onBack: (() => void) | null = null;
const count = () => {
  back++;
  onBack?.();
};
sideA.on('message', count);
sideB.on('message', count);

execFileSync('mkdir', ['-p', outDir]);
const relay = spawn(
  'valgrind',
  [
    '--tool=callgrind',
    '--instr-atstart=no',
    // Count the JS thread alone: V8's background threads (concurrent marking, compilation) run on their
    // own schedule and would make the count depend on wall time.
    '--separate-threads=yes',
    // V8 rewrites its own machine code: valgrind must re-check translations of non-file code.
    '--smc-check=all-non-file',
    `--callgrind-out-file=${outDir}/callgrind.out`,
    process.execPath,
    '--import',
    'tsx',
    new URL('./callgrind-relay.ts', import.meta.url).pathname,
    mode,
    String(calls),
    String(sideA.address().port),
    String(sideB.address().port),
  ],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
let relayErr = '';
relay.stderr!.on('data', (d: Buffer) => {
  relayErr = (relayErr + d.toString()).slice(-4000);
});
const ports = await new Promise<[number, number][]>((resolve, reject) => {
  relay.once('exit', (code) => reject(new Error(`relay exited (${code}) before it was ready:\n${relayErr}`)));
  let out = '';
  relay.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const nl = out.indexOf('\n');
    if (nl >= 0) resolve((JSON.parse(out.slice(0, nl)) as { ports: [number, number][] }).ports);
  });
});

const payload = Buffer.alloc(172, 0xff);
payload[0] = 0x80;
payload[1] = 0;
let seq = 0;
/** One packet each way per call; resolves when all are back (or after 2 s: a lost packet is not waited for). */
async function round(): Promise<void> {
  seq = (seq + 1) & 0xffff;
  payload.writeUInt16BE(seq, 2);
  payload.writeUInt32BE(seq * 160, 4);
  const target = back + 2 * calls;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    onBack = () => {
      if (back >= target) {
        clearTimeout(timer);
        resolve();
      }
    };
  });
  for (let i = 0; i < calls; i++) {
    const [pa, pb] = ports[i]!;
    payload.writeUInt32BE(1000 + i, 8);
    sideA.send(payload, pa, '127.0.0.1');
    payload.writeUInt32BE(5000 + i, 8);
    sideB.send(payload, pb, '127.0.0.1');
  }
  await done;
  onBack = null;
}

for (let i = 0; i < warmup; i++) await round();
execFileSync('callgrind_control', ['-i', 'on', String(relay.pid)], { stdio: 'ignore' });
const back0 = back;
const t0 = performance.now();
for (let i = 0; i < rounds; i++) await round();
const busyMs = performance.now() - t0;
const forwarded = back - back0;
execFileSync('callgrind_control', ['-d', String(relay.pid)], { stdio: 'ignore' });
// The 20 ms media clock and the legs' housekeeping cost instructions per second, not per packet, and
// under valgrind on a loaded machine the rounds take a varying wall time: count an idle stretch as
// long as the busy one and subtract its rate.
const idleMs = Math.min(busyMs, 20_000);
await new Promise((r) => setTimeout(r, idleMs));
execFileSync('callgrind_control', ['-d', String(relay.pid)], { stdio: 'ignore' });
relay.removeAllListeners('exit');
relay.kill('SIGKILL');
/** callgrind.out.<dump>-<thread>: thread 01 is the main (JS) thread. */
const dumpNo = (f: string) => Number(/\.(\d+)-\d+$/.exec(f)?.[1] ?? 0);
const dumps = readdirSync(outDir)
  .filter((f) => f.startsWith('callgrind.out') && f.endsWith('-01'))
  .map((f) => `${outDir}/${f}`)
  .filter((f) => /summary:|totals:/.test(readFileSync(f, 'utf8')))
  .sort((a, b) => dumpNo(a) - dumpNo(b));
if (dumps.length < 2) throw new Error('missing callgrind dumps');
const total = (f: string) => Number(/(?:summary|totals):\s+(\d+)/.exec(readFileSync(f, 'utf8'))![1]);
const busyIr = total(dumps[0]!);
const idleRate = total(dumps[1]!) / idleMs;
const dump = dumps[0]!;
console.log(
  `${mode} | ${calls} calls | ${forwarded} packets forwarded (of ${rounds * 2 * calls}) in ${(busyMs / 1000).toFixed(1)} s | ${((busyIr - idleRate * busyMs) / forwarded).toFixed(0)} instructions/packet | idle ${(idleRate / 1000).toFixed(1)} M instructions/s (${(busyIr / forwarded).toFixed(0)} per packet before subtracting it)`,
);
if (process.argv.includes('--annotate')) {
  console.log(
    execFileSync('callgrind_annotate', [dump], { encoding: 'utf8' }).split('\n').slice(0, 60).join('\n'),
  );
}
if (!process.argv.includes('--keep')) rmSync(outDir, { recursive: true, force: true });
else console.log(`dumps kept in ${outDir}`);
process.exit(0);
