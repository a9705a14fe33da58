// The relay's own per-packet JS in isolation: one bridged RtpLeg↔RtpLeg call whose sockets' send() is
// replaced by a no-op, fed packets straight into the legs' receive handlers. Node's UDP receive/send
// (identical for the relay and the bare forwarder) is left out, so what remains is what packages/media
// adds: parse, latch check, receive statistics, bridge, timestamp mapping, header rewrite.
// Run: npx tsx bench/media/relay-micro.ts [--impl <path to packages/media/src/index.ts>] [--loop K]
// Instructions per packet (repeatable): under valgrind --tool=callgrind --separate-threads=yes with
// --warmup 30000 and --loop 10000 / --loop 40000; the difference of the JS thread's totals ÷ 60000 (two
// packets per round) — see README.md.
import type dgram from 'node:dgram';
import type * as Media from '../../packages/media/src/index';
import { buildRtp } from '../../packages/media/src/rtp/rtp-packet';
import { arg } from './lib';

const impl = arg('impl', new URL('../../packages/media/src/index.ts', import.meta.url).pathname);
const { Bridge, PortPool, RtpLeg } = (await import(impl)) as typeof Media;
const pool = new PortPool({ min: 46000, max: 46999 });
const a = await RtpLeg.create({ pool, inactivityTimeoutMs: 0 });
const b = await RtpLeg.create({ pool, inactivityTimeoutMs: 0 });
a.setRemote('127.0.0.1', 30000);
b.setRemote('127.0.0.1', 30002);
new Bridge(a, b);
type Internals = { rtp: dgram.Socket; onRtpMessage: (msg: Buffer, rinfo: dgram.RemoteInfo) => void };
const ia = a as unknown as Internals;
const ib = b as unknown as Internals;
for (const i of [ia, ib]) (i.rtp as unknown as { send: () => void }).send = () => {};
const pa = buildRtp(0, 0, 0, 0x11111111, Buffer.alloc(160, 0xff));
const pb = buildRtp(0, 0, 0, 0x22222222, Buffer.alloc(160, 0xff));
const ra: dgram.RemoteInfo = { address: '127.0.0.1', family: 'IPv4', port: 30000, size: pa.length };
const rb: dgram.RemoteInfo = { address: '127.0.0.1', family: 'IPv4', port: 30002, size: pb.length };
let seq = 0;

/** Restore the generator's header (the relay rewrote it in place), allocating nothing. */
function refill(p: Buffer, ssrc: number, ts: number): void {
  p[0] = 0x80;
  p[1] = 0;
  p.writeUInt16BE(seq, 2);
  p.writeUInt32BE(ts, 4);
  p.writeUInt32BE(ssrc, 8);
}

/** One packet each way, as the generator sends them. */
function round(): void {
  seq = (seq + 1) & 0xffff;
  const ts = (seq * 160) >>> 0;
  refill(pa, 0x11111111, ts);
  refill(pb, 0x22222222, ts);
  ia.onRtpMessage(pa, ra);
  ib.onRtpMessage(pb, rb);
}

const N = 20_000;
const warmup = Number(arg('warmup', String(5 * N)));
for (let i = 0; i < warmup; i++) round();
const loop = Number(arg('loop', '0'));
if (loop > 0) {
  for (let i = 0; i < loop; i++) round();
  process.exit(0);
}
let best = Number.POSITIVE_INFINITY;
for (let r = 0; r < 7; r++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) round();
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / (2 * N));
}
console.log(
  `relay JS per packet: best ${best.toFixed(0)} ns (packets forwarded: ${a.packetsSent + b.packetsSent})`,
);
process.exit(0);
