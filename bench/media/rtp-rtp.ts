// RtpLeg ↔ RtpLeg: how many bridged calls one media thread carries before loss > 0.1 % or added latency
// p99 > 5 ms. Run: npx tsx bench/media/rtp-rtp.ts [--steps 100,250,500,750,1000] [--measure 8000]
//   [--keep-going] [--baseline] [--repeat k] [--pin] [--capture fraction] [--players N] [--json]
import { arg, pin, Relay, request, spawnTs } from './lib';
import { measureRelay, residenceColumns } from './relay-capture';

const steps = arg('steps', '100,250,500,750,1000').split(',').map(Number);
const measureMs = Number(arg('measure', '8000'));
const warmupMs = 2000;

// --capture f: tcpdump timestamps the packets of that fraction of the calls in the kernel as they enter
// and leave the relay, for the latency the relay itself adds (relay-capture.ts).
const captureFraction = Number(arg('capture', '0'));
const pinned = process.argv.includes('--pin');
const relay = new Relay();
if (pinned) pin(process.pid, 0);
const gen = spawnTs('./rtp-generator.ts');
if (pinned) pin(gen.pid!, 1);
// --players N: N callers on hold music in the same media thread during every step (sent to a sink
// process on the generator's CPU), to see how the relayed calls fare next to the prompt clock.
const players = Number(arg('players', '0'));
const sink = players > 0 ? spawnTs('./udp-sink.ts') : null;
if (sink && pinned) pin(sink.pid!, 1);
const sinkPort = sink
  ? (await new Promise<{ port: number }>((r) => sink.once('message', r as (m: unknown) => void))).port
  : 0;
const ready = await new Promise<{ portA: number; portB: number }>((r) =>
  gen.once('message', r as (m: unknown) => void),
);

// Latency is end to end through the relay (an upper bound of what the relay adds). --baseline also runs
// each step through a bare UDP forwarder in the same worker: the control for Node/OS/machine effects.
// Media-thread CPU per packet and the worker's GC pauses come from the worker itself (its own thread's
// CPU time, GC entries observed in its isolate), so they hold on a shared machine where latency does not.
const baseline = process.argv.includes('--baseline');
const extra = baseline
  ? ' | bare: media thread µs/packet (system) | scavenges/s | mean ms | loss % | p50 ms | p99 ms | p99 gap ms'
  : '';
const capCols =
  captureFraction > 0 ? ' | in relay (kernel) p50 / p99 / max ms | packets (capture drops)' : '';
const bareCapCols = captureFraction > 0 && baseline ? ' | bare: in forwarder p50 / p99 / max ms' : '';
console.log(
  `calls | relay CPU % of one core | CPU per call % | media thread µs/packet (system) | scavenges/s | mean ms | max GC ms | loss % | one-way p50 ms | p99 ms | max ms | main-thread lag p99 ms | generator CPU %${capCols}${extra}${bareCapCols}`,
);
console.log(
  `---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:${capCols ? ' | ---: | ---:' : ''}${extra ? ' | ---: | ---: | ---: | ---: | ---: | ---: | ---:' : ''}${bareCapCols ? ' | ---:' : ''}`,
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
  if (players > 0) await relay.call({ op: 'players', count: players, sinkPort });
  const runP = request<RunResult>(gen, { op: 'run', ports, warmupMs, measureMs });
  await new Promise((r) => setTimeout(r, warmupMs));
  const { win, residence } = await measureRelay(
    relay,
    measureMs - 500,
    ports.map(([a, b]) => [[a], [b]]),
    captureFraction,
    pinned ? 1 : null,
  );
  const r = await runP;
  await relay.call({ op: 'teardown' });
  const usPerPacket = win.usPerPacket;
  return { win, r, usPerPacket, residence };
}

// --repeat k runs each step k times; with --baseline the order alternates (bare forwarder first on every
// second repetition) so neither side always gets the fresher machine or the warmer generator.
const repeat = Math.max(1, Number(arg('repeat', '1')));
const gaps = new Map<number, { relay: number[]; bare: number[] }>();
const runs = steps.flatMap((n) => Array.from({ length: repeat }, (_, k) => ({ n, bareFirst: k % 2 === 1 })));
for (const { n, bareFirst } of runs) {
  const early = baseline && bareFirst ? await step('echo-calls', n) : null;
  const { win, r, usPerPacket, residence } = await step('rtp-calls', n);
  // With a capture, the limit applies to what the relay adds (kernel in → out), as the issue states it.
  const ok = r.loss <= 0.001 && (residence ? residence.p99 : r.p99) <= 5;
  const cap = residenceColumns(residence, true);
  let bareCap = '';
  let control = '';
  let bare: unknown = null;
  if (baseline) {
    const b = early ?? (await step('echo-calls', n));
    const g = gaps.get(n) ?? { relay: [], bare: [] };
    g.relay.push(r.p99);
    g.bare.push(b.r.p99);
    gaps.set(n, g);
    bare = { ...b.win, ...b.r, usPerPacket: b.usPerPacket, residence: b.residence };
    bareCap = residenceColumns(b.residence);
    control = ` | ${b.usPerPacket.toFixed(2)} (${b.win.sysUsPerPacket.toFixed(2)}) | ${b.win.minorGcPerS.toFixed(1)} | ${b.win.minorGcMeanMs.toFixed(2)} | ${(b.r.loss * 100).toFixed(3)} | ${b.r.p50.toFixed(2)} | ${b.r.p99.toFixed(2)} | ${(r.p99 - b.r.p99).toFixed(2)}`;
  }
  results.push({ calls: n, ...win, ...r, usPerPacket, ok, residence, bare });
  console.log(
    `${n} | ${win.cpuPercent.toFixed(1)} | ${(win.cpuPercent / n).toFixed(3)} | ${usPerPacket.toFixed(2)} (${win.sysUsPerPacket.toFixed(2)}) | ${win.minorGcPerS.toFixed(1)} | ${win.minorGcMeanMs.toFixed(2)} | ${win.maxGcMs.toFixed(1)} | ${(r.loss * 100).toFixed(3)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(1)} | ${win.lagP99Ms.toFixed(2)} | ${r.generatorCpu.toFixed(0)}${cap}${control}${bareCap}${ok ? '' : '  ← over the limit'}`,
  );
  if (!ok && !process.argv.includes('--keep-going')) break;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
for (const [n, g] of gaps) {
  if (g.relay.length < 2) continue;
  console.log(
    `${n} calls, ${g.relay.length} runs: median p99 relay ${median(g.relay).toFixed(2)} ms, bare forwarder ${median(g.bare).toFixed(2)} ms, median gap ${median(g.relay.map((x, i) => x - g.bare[i]!)).toFixed(2)} ms`,
  );
}
gen.send({ op: 'exit' });
sink?.send({ op: 'exit' });
await relay.close();
if (process.argv.includes('--json')) console.log(JSON.stringify(results));
process.exit(0);
