// RtpLeg ↔ RtpLeg: how many bridged calls one media thread carries before loss > 0.1 % or added latency
// p99 > 5 ms. Run: npx tsx bench/media/rtp-rtp.ts [--steps 100,250,500,750,1000] [--measure 8000]
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

// Baseline: the generator's own path with no relay is measured by sending to itself? Loopback adds
// ~0.05 ms; we report total one-way latency through the relay, an upper bound of the added latency.
console.log(
  'calls | relay CPU % of one core | CPU per call % | loss % | one-way p50 ms | p99 ms | max ms | main-thread lag p99 ms | generator CPU %',
);
console.log('---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:');
const results: unknown[] = [];
for (const n of steps) {
  const ports = await relay.call<[number, number][]>({
    op: 'rtp-calls',
    calls: n,
    remoteA: ready.portA,
    remoteB: ready.portB,
  });
  const runP = request<{
    sent: number;
    received: number;
    loss: number;
    p50: number;
    p99: number;
    max: number;
    generatorCpu: number;
  }>(gen, {
    op: 'run',
    ports,
    warmupMs,
    measureMs,
  });
  await new Promise((r) => setTimeout(r, warmupMs));
  const win = await measureWindow(measureMs - 200);
  const r = await runP;
  await relay.call({ op: 'teardown' });
  const ok = r.loss <= 0.001 && r.p99 <= 5;
  results.push({ calls: n, ...win, ...r, ok });
  console.log(
    `${n} | ${win.cpuPercent.toFixed(1)} | ${(win.cpuPercent / n).toFixed(3)} | ${(r.loss * 100).toFixed(3)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(1)} | ${win.lagP99Ms.toFixed(2)} | ${r.generatorCpu.toFixed(0)}${ok ? '' : '  ← over the limit'}`,
  );
  if (!ok && !process.argv.includes('--keep-going')) break;
}
gen.send({ op: 'exit' });
await relay.close();
if (process.argv.includes('--json')) console.log(JSON.stringify(results));
process.exit(0);
