// Synthetic WebRTC peers (separate process): one werift RTCPeerConnection per call answering the relay's
// WebRtcLeg offer, plus the plain-RTP far end of each call. Every packet carries its send time.
import dgram from 'node:dgram';
import { RTCPeerConnection, RTCRtpCodecParameters, type RTCRtpTransceiver, RtpHeader } from 'werift';
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

interface Peer {
  pc: RTCPeerConnection;
  transceiver: RTCRtpTransceiver;
  header: RtpHeader;
}
const peers: Peer[] = [];

async function answer(offer: string): Promise<string> {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceUseIpv6: false,
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 8000,
          channels: 1,
          payloadType: 101,
        }),
      ],
      video: [],
    },
    headerExtensions: { audio: [], video: [] },
  });
  pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => record(rtp.payload, () => toWeb)));
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  const transceiver = pc.getTransceivers()[0]!;
  transceiver.setDirection('sendrecv');
  await pc.setLocalDescription(await pc.createAnswer());
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((r) => pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && r()));
  }
  peers.push({ pc, transceiver, header: new RtpHeader({ payloadType: 0, ssrc: transceiver.sender.ssrc }) });
  return pc
    .localDescription!.sdp.split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') || l.includes(' 127.0.0.1 '))
    .join('\r\n');
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
        const p = peers[i]!;
        const body = Buffer.from(payload);
        body.writeBigInt64LE(process.hrtime.bigint(), 0);
        p.header.sequenceNumber = seq;
        p.header.timestamp = ts;
        // Straight to the DTLS transport (SRTP + ICE), skipping werift's sender bookkeeping: the
        // generator must stay cheaper than the relay it loads.
        void p.transceiver.sender.dtlsTransport.sendRtp(body, p.header);
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
