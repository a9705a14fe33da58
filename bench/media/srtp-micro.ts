// Per-packet cost of the lean SRTP path in isolation: protect (RTP→WebRTC) and unprotect (WebRTC→RTP)
// of 160-byte G.711 packets, as WebRtcLeg does them: best-of-7 wall time per packet (best-of, because
// the machine may be shared) and how many Cipher.update calls (each a native call and a natively backed
// output Buffer for the young-generation GC) the protect side made.
// Run: npx tsx bench/media/srtp-micro.ts [--impl <path to srtp-context.ts>]
// Instructions per packet (repeatable): run under valgrind --tool=callgrind with --loop 20000 and
// --loop 60000 and divide the difference of the totals by 40000 (see README.md).
import { randomBytes } from 'node:crypto';
import { RTP_HEADER_MIN, writeRtpHeader } from '../../packages/media/src/rtp/rtp-packet';
import type { SrtpContext as Ctx } from '../../packages/media/src/srtp/srtp-context';
import { arg } from './lib';

const impl = arg('impl', new URL('../../packages/media/src/srtp/srtp-context.ts', import.meta.url).pathname);
const { SrtpContext } = (await import(impl)) as { SrtpContext: typeof Ctx };
const key = randomBytes(16);
const salt = randomBytes(14);
const tx = new SrtpContext(key, salt);
const rx = new SrtpContext(key, salt);
const payload = randomBytes(160);
let seq = 0;
let sent = 0;

/** What WebRtcLeg.transmit does per packet (with the in-place API when this implementation has it). */
function protectOne(): Buffer {
  seq = (seq + 1) & 0xffff;
  sent++;
  const t = tx as Ctx & { protectInPlace?: (b: Buffer, h: number, e: number) => void };
  const end = RTP_HEADER_MIN + payload.length;
  if (t.protectInPlace) {
    const pkt = Buffer.allocUnsafe(end + 10);
    writeRtpHeader(pkt, 0, seq, seq * 160, 0xdeadbeef, false);
    payload.copy(pkt, RTP_HEADER_MIN);
    t.protectInPlace(pkt, RTP_HEADER_MIN, end);
    return pkt;
  }
  const pkt = Buffer.allocUnsafe(end);
  writeRtpHeader(pkt, 0, seq, seq * 160, 0xdeadbeef, false);
  payload.copy(pkt, RTP_HEADER_MIN);
  return tx.protect(pkt, RTP_HEADER_MIN);
}

const N = 20_000;
// Warm up (JIT) with packets that are then decrypted in order, as the relay would.
for (let i = 0; i < 5 * N; i++) rx.unprotect(protectOne(), RTP_HEADER_MIN);

// --loop K: only K more packets, then exit — for instruction counts under callgrind, where the difference
// between two values of K divided by their difference is the cost per packet, start-up and JIT excluded.
const loop = Number(arg('loop', '0'));
if (loop > 0) {
  for (let i = 0; i < loop; i++) rx.unprotect(protectOne(), RTP_HEADER_MIN);
  process.exit(0);
}

// Time: best of 7 rounds of N protect + unprotect.
let best = Number.POSITIVE_INFINITY;
for (let r = 0; r < 7; r++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) rx.unprotect(protectOne(), RTP_HEADER_MIN);
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / N);
}
const t = tx as Ctx & { batchesComputed?: number };
const calls =
  t.batchesComputed === undefined
    ? 'one per packet'
    : `${((t.batchesComputed / sent) * 100).toFixed(1)} per 100 packets`;
console.log(
  `protect + unprotect: best ${best.toFixed(0)} ns/packet; Cipher.update calls on the protect side: ${calls}`,
);
