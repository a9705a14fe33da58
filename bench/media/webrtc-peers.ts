// Synthetic WebRTC peers (separate process): one WebRtcLeg per call answering the relay's
// WebRtcLeg offer, plus the plain-RTP far end of each call. Every packet carries its send time.
import dgram from 'node:dgram';
import { WebRtcLeg } from '../../packages/media/src/index';
import { buildRtp } from '../../packages/media/src/rtp/rtp-packet';
import { percentile } from './lib';

const sideB = dgram.createSocket('udp4');
await new Promise<void>((r) => sideB.bind(0, '127.0.0.1', r));
sideB.setRecvBufferSize(8 * 1024 * 1024);

let recording = false;
let received = 0;
let latencies: number[] = [];
/** Latencies by direction: toward the plain-RTP side, toward the WebRTC peers. */
let toRtp: number[] = [];
let toWeb: number[] = [];
const record = (payload: Buffer, sink: () => number[]) => {
  if (!recording || payload.length < 8) return;
  const ms = Number(process.hrtime.bigint() - payload.readBigInt64LE(0)) / 1e6;
  latencies.push(ms);
  sink().push(ms);
  received++;
};
sideB.on('message', (msg) => {
  if (msg.length >= 12 + 8 && msg[1]! < 200) record(msg.subarray(12), () => toRtp);
});

// The synthetic browsers are WebRtcLegs too (werift ICE/DTLS, our lean SRTP): werift's own receive
// pipeline would make the generator, not the relay, the bottleneck.
const peers: WebRtcLeg[] = [];
let nextIcePort = 24000;

async function answer(offer: string): Promise<string> {
  const leg = new WebRtcLeg({
    publicAddress: '127.0.0.1',
    portRange: [nextIcePort, nextIcePort + 3],
    inactivityTimeoutMs: 0,
  });
  nextIcePort += 4;
  leg.audioSink = (_from, buf, h) => record(buf.subarray(h.payloadOffset, h.payloadEnd), () => toWeb);
  const sdp = await leg.acceptOffer(offer);
  peers.push(leg);
  return sdp;
}

process.send!({ ready: true, portB: sideB.address().port });

type Cmd =
  | { op: 'answer'; offers: string[] }
  | { op: 'run'; bPorts: number[]; warmupMs: number; measureMs: number }
  | { op: 'exit' };

process.on('message', async (cmd: Cmd) => {
  if (cmd.op === 'exit') process.exit(0);
  if (cmd.op === 'answer') {
    process.send!({ answers: await Promise.all(cmd.offers.map(answer)) });
    return;
  }
  const payload = Buffer.alloc(160, 0xff);
  const SLICES = 10;
  let seq = 0;
  let ts = 0;
  let sent = 0;
  let tick = 0;
  const t0 = performance.now();
  const end = t0 + cmd.warmupMs + cmd.measureMs;
  let measuring = false;
  let cpu0 = process.cpuUsage();
  let wall0 = performance.now();
  await new Promise<void>((resolve) => {
    const step = () => {
      const now = performance.now();
      if (now >= end) return resolve();
      if (!measuring && now >= t0 + cmd.warmupMs) {
        measuring = true;
        recording = true;
        received = 0;
        latencies = [];
        toRtp = [];
        toWeb = [];
        sent = 0;
        cpu0 = process.cpuUsage();
        wall0 = performance.now();
      }
      const slice = tick % SLICES;
      if (slice === 0) {
        seq = (seq + 1) & 0xffff;
        ts = (ts + 160) >>> 0;
      }
      for (let i = slice; i < peers.length; i += SLICES) {
        const body = Buffer.from(payload);
        body.writeBigInt64LE(process.hrtime.bigint(), 0);
        peers[i]!.sendFrame(body, 160);
        const rtp = buildRtp(0, seq, ts, 7000 + i, payload);
        rtp.writeBigInt64LE(process.hrtime.bigint(), 12);
        sideB.send(rtp, cmd.bPorts[i]!, '127.0.0.1');
        sent += 2;
      }
      tick++;
      setTimeout(step, Math.max(0, t0 + (tick * 20) / SLICES - performance.now()));
    };
    step();
  });
  const cpu = process.cpuUsage(cpu0);
  const generatorCpu = ((cpu.user + cpu.system) / 1000 / (performance.now() - wall0)) * 100;
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
    receivedToRtp: toRtp.length,
    receivedToWeb: toWeb.length,
    p99ToRtp: percentile(Float64Array.from(toRtp).sort(), 99),
    p99ToWeb: percentile(Float64Array.from(toWeb).sort(), 99),
  });
});
