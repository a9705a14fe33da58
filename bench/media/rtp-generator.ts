// Load generator (separate process): plays both ends of N calls through the relay on loopback. Each
// packet carries its send time (CLOCK_MONOTONIC, shared across processes) so the receiving end measures
// one-way latency through the relay; the relay does not touch payloads of same-law calls.
import dgram from 'node:dgram';
import { buildRtp } from '../../packages/media/src/rtp/rtp-packet';
import { percentile } from './lib';

const sideA = dgram.createSocket('udp4');
const sideB = dgram.createSocket('udp4');
await Promise.all([
  new Promise<void>((r) => sideA.bind(0, '127.0.0.1', r)),
  new Promise<void>((r) => sideB.bind(0, '127.0.0.1', r)),
]);
for (const s of [sideA, sideB]) {
  s.setRecvBufferSize(8 * 1024 * 1024);
  s.setSendBufferSize(8 * 1024 * 1024);
}

let recording = false;
let received = 0;
let latencies: number[] = [];
const onMessage = (msg: Buffer) => {
  if (!recording || msg.length < 12 + 16 || msg[1]! >= 200 + 0x80) return;
  const sent = msg.readBigInt64LE(12);
  latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
  received++;
};
sideA.on('message', onMessage);
sideB.on('message', onMessage);

process.send!({ ready: true, portA: sideA.address().port, portB: sideB.address().port });

type Cmd = { op: 'run'; ports: [number, number][]; warmupMs: number; measureMs: number } | { op: 'exit' };

process.on('message', async (cmd: Cmd) => {
  if (cmd.op === 'exit') process.exit(0);
  const { ports } = cmd;
  const payload = Buffer.alloc(160, 0xff);
  let seq = 0;
  let ts = 0;
  let sent = 0;
  let tick = 0;
  const t0 = performance.now();
  const end = t0 + cmd.warmupMs + cmd.measureMs;
  let measuring = false;
  let cpu0 = process.cpuUsage();
  let wall0 = performance.now();
  // Calls are spread over the 20 ms period in 2 ms slices, as real calls are not phase-aligned; a single
  // burst would measure the generator's own queueing, not the relay.
  const SLICES = 10;
  await new Promise<void>((resolve) => {
    const step = () => {
      const now = performance.now();
      if (now >= end) return resolve();
      if (!measuring && now >= t0 + cmd.warmupMs) {
        measuring = true;
        recording = true;
        received = 0;
        latencies = [];
        sent = 0;
        cpu0 = process.cpuUsage();
        wall0 = performance.now();
      }
      const slice = tick % SLICES;
      if (slice === 0) {
        seq = (seq + 1) & 0xffff;
        ts = (ts + 160) >>> 0;
      }
      for (let i = slice; i < ports.length; i += SLICES) {
        const [pa, pb] = ports[i]!;
        const t = process.hrtime.bigint();
        payload.writeBigInt64LE(t, 0);
        sideA.send(buildRtp(0, seq, ts, 1000 + i, payload), pa, '127.0.0.1');
        sideB.send(buildRtp(0, seq, ts, 5000 + i, payload), pb, '127.0.0.1');
        sent += 2;
      }
      tick++;
      setTimeout(step, Math.max(0, t0 + (tick * 20) / SLICES - performance.now()));
    };
    step();
  });
  const cpu = process.cpuUsage(cpu0);
  const generatorCpu = ((cpu.user + cpu.system) / 1000 / (performance.now() - wall0)) * 100;
  // Let in-flight packets land (they count as received if they arrive within 200 ms).
  await new Promise((r) => setTimeout(r, 200));
  recording = false;
  const sorted = Float64Array.from(latencies).sort();
  process.send!({
    sent,
    received,
    generatorCpu,
    loss: sent > 0 ? Math.max(0, (sent - received) / sent) : 0,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
  });
});
