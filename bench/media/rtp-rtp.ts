// RtpLeg ↔ RtpLeg: how many bridged calls one media thread carries before loss > 0.1 % or added latency
// p99 > 5 ms. Run: npx tsx bench/media/rtp-rtp.ts [--steps 100,250,500,750,1000] [--measure 8000]
//   [--keep-going] [--baseline] [--pin] [--json]
import { arg, measureWindow, pin, Relay, request, spawnTs } from './lib';

const steps = arg('steps', '100,250,500,750,1000').split(',').map(Number);
const measureMs = Number(arg('measure', '8000'));
const warmupMs = 2000;

const relay = new Relay();
if (process.argv.includes('--pin')) pin(process.pid, 0);
const gen = spawnTs('./rtp-generator.ts');
if (process.argv.includes('--pin')) pin(gen.pid!, 1);
const ready = await new Promise<{ portA: number; portB: number }>((r) =>
  gen.once('message', r as (m: unknown) => void),
);

// Latency is end to end through the relay (an upper bound of what the relay adds). --baseline also runs
// each step through a bare UDP forwarder in the same worker: the control for Node/OS/machine effects.
const extra = process.argv.includes('--baseline') ? ' | bare forwarder CPU % | loss % | p50 ms | p99 ms' : '';
console.log(
  `calls | relay CPU % of one core | CPU per call % | loss % | one-way p50 ms | p99 ms | max ms | main-thread lag p99 ms | generator CPU %${extra}`,
);
console.log(
  `---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:${extra ? ' | ---: | ---: | ---: | ---:' : ''}`,
);
const results: unknown[] = [];
type RunResult = {
  sent: number;
  received: number;
  loss: number;
  p50: number;
  p99: number;
  max: number;
  generatorCpu: number;
};

async function step(op: 'rtp-calls' | 'echo-calls', n: number) {
  const ports = await relay.call<[number, number][]>({
    op,
    calls: n,
    remoteA: ready.portA,
    remoteB: ready.portB,
  });
  const runP = request<RunResult>(gen, { op: 'run', ports, warmupMs, measureMs });
  await new Promise((r) => setTimeout(r, warmupMs));
  const win = await measureWindow(measureMs - 200);
  const r = await runP;
  await relay.call({ op: 'teardown' });
  return { win, r };
}

const baseline = process.argv.includes('--baseline');
for (const n of steps) {
  const { win, r } = await step('rtp-calls', n);
  const ok = r.loss <= 0.001 && r.p99 <= 5;
  let control = '';
  if (baseline) {
    const b = await step('echo-calls', n);
    control = ` | ${b.win.cpuPercent.toFixed(1)} | ${(b.r.loss * 100).toFixed(3)} | ${b.r.p50.toFixed(2)} | ${b.r.p99.toFixed(2)}`;
  }
  results.push({ calls: n, ...win, ...r, ok });
  console.log(
    `${n} | ${win.cpuPercent.toFixed(1)} | ${(win.cpuPercent / n).toFixed(3)} | ${(r.loss * 100).toFixed(3)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(1)} | ${win.lagP99Ms.toFixed(2)} | ${r.generatorCpu.toFixed(0)}${control}${ok ? '' : '  ← over the limit'}`,
  );
  if (!ok && !process.argv.includes('--keep-going')) break;
}
gen.send({ op: 'exit' });
await relay.close();
if (process.argv.includes('--json')) console.log(JSON.stringify(results));
process.exit(0);
