// SRTP for AES_CM_128_HMAC_SHA1_80 (RFC 3711), written for the per-packet cost. werift creates a new
// AES-CTR cipher and a new HMAC for every packet; here one AES-ECB cipher object per direction produces
// the counter-mode keystream (AES-CM is AES over successive counter blocks, §4.1.1, so any block cipher
// encrypting those blocks gives the same keystream), and HMAC-SHA1 runs in JS from precomputed inner and
// outer key states (hmac-sha1.ts), allocating nothing per packet.

import { type Cipher, createCipheriv } from 'node:crypto';
import { HmacSha1 } from './hmac-sha1';

export const SRTP_AES128_CM_HMAC_SHA1_80 = 0x0001;
export const SRTP_TAG_LEN = 10;
const TAG_LEN = SRTP_TAG_LEN;
const REPLAY_WINDOW = 64;
/**
 * The AES-CM keystream of a packet depends only on the session key, salt, SSRC and packet index
 * (§4.1.1), so it can be computed before the packet exists. One Cipher.update call produces the
 * keystream of the next KS_BATCH indexes of a stream: a native call and a natively backed output Buffer
 * (which the young-generation GC must then process) per batch instead of per packet.
 */
export const KS_BATCH = 16;
/** Keystream blocks kept per packet index: a 20 ms G.711 payload (160 bytes) is 10 blocks. */
const KS_BLOCKS = 10;
export const KS_STRIDE = KS_BLOCKS * 16;

/** Precomputed keystream for indexes base .. base + KS_BATCH - 1 of one SSRC. */
interface KeystreamBatch {
  base: number;
  ks: Buffer | null;
}

interface TxState extends KeystreamBatch {
  roc: number;
  lastSeq: number;
}

/** RFC 3711 §4.3.1 key derivation (key derivation rate 0): AES-CM keyed by the master key over IV = (salt ⊕ label) · 2^16. */
function deriveKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0, 0, 14);
  iv[7]! ^= label;
  const blocks = Math.ceil(length / 16);
  const input = Buffer.alloc(blocks * 16);
  for (let b = 0; b < blocks; b++) {
    iv.copy(input, b * 16);
    input.writeUInt16BE(b, b * 16 + 14);
  }
  const ecb = createCipheriv('aes-128-ecb', masterKey, null);
  ecb.setAutoPadding(false);
  return ecb.update(input).subarray(0, length);
}

interface RxState extends KeystreamBatch {
  roc: number;
  highestSeq: number;
  /** Recently accepted packet indexes (replay protection, §3.3.2). */
  window: Float64Array;
  highestIndex: number;
}

/** One direction of an SRTP session (our sending side, or the peer's). */
export class SrtpContext {
  private readonly ecb: Cipher;
  private readonly salt: Buffer;
  private readonly hmac: HmacSha1;
  private readonly expectedTag = new Uint8Array(TAG_LEN);
  private readonly rx = new Map<number, RxState>();
  private readonly tx = new Map<number, TxState>();
  // A leg's stream has one SSRC each way: remembering the last one skips the Map lookup (which hashes a
  // heap number for SSRCs ≥ 2^30) on nearly every packet.
  private lastTxSsrc = -1;
  private lastTx: TxState | null = null;
  private lastRxSsrc = -1;
  private lastRx: RxState | null = null;
  private counters = Buffer.alloc(16 * 12);
  /** Counter blocks of a whole batch, written as 32-bit words (little-endian stores of big-endian words). */
  private readonly batchCounters = new Int32Array((KS_BATCH * KS_STRIDE) / 4);
  private readonly saltWords = new Int32Array(4);
  /** Keystream batches computed (for tests and benchmarks). */
  batchesComputed = 0;

  constructor(masterKey: Buffer, masterSalt: Buffer) {
    if (masterKey.length !== 16 || masterSalt.length !== 14)
      throw new Error('AES_CM_128 needs a 16-byte key and 14-byte salt');
    const sessionKey = deriveKey(masterKey, masterSalt, 0, 16);
    const authKey = deriveKey(masterKey, masterSalt, 1, 20);
    this.salt = deriveKey(masterKey, masterSalt, 2, 14);
    for (let w = 0; w < 4; w++) {
      const o = w * 4;
      this.saltWords[w] =
        ((this.salt[o] ?? 0) << 24) |
        ((this.salt[o + 1] ?? 0) << 16) |
        ((this.salt[o + 2] ?? 0) << 8) |
        (this.salt[o + 3] ?? 0);
    }
    this.ecb = createCipheriv('aes-128-ecb', sessionKey, null);
    this.ecb.setAutoPadding(false);
    this.hmac = new HmacSha1(authKey);
  }

  /**
   * XOR the keystream of (ssrc, roc·2^16 + seq) over buf[start..end), from the stream's precomputed
   * batch when the index falls inside it, else from a new batch starting at this index. Packets longer
   * than KS_STRIDE take the per-packet path.
   */
  private xorBatched(
    st: KeystreamBatch,
    buf: Buffer,
    start: number,
    end: number,
    ssrc: number,
    roc: number,
    seq: number,
  ): void {
    const len = end - start;
    if (len <= 0) return;
    if (len > KS_STRIDE) {
      this.xorKeystream(buf, start, end, ssrc, roc, seq);
      return;
    }
    const index = roc * 0x10000 + seq;
    let p = index - st.base;
    if (st.ks === null || p < 0 || p >= KS_BATCH) {
      st.ks = this.computeBatch(ssrc, index);
      st.base = index;
      p = 0;
    }
    const ks = st.ks;
    const o = p * KS_STRIDE;
    for (let i = 0; i < len; i++) buf[start + i]! ^= ks[o + i]!;
  }

  /** Keystream for indexes first .. first + KS_BATCH - 1 of ssrc, KS_STRIDE bytes each, in one AES call. */
  private computeBatch(ssrc: number, first: number): Buffer {
    const c = this.batchCounters;
    const s = this.saltWords;
    // IV = (k_s · 2^16) ⊕ (SSRC · 2^64) ⊕ (i · 2^16) (§4.1.1), then the 16-bit block counter.
    const w0 = bswap(s[0]!);
    const w1 = bswap(s[1]! ^ ssrc);
    let k = 0;
    for (let p = 0; p < KS_BATCH; p++) {
      const index = first + p;
      const roc = Math.floor(index / 0x10000) >>> 0;
      const seq = index & 0xffff;
      const w2 = bswap(s[2]! ^ roc);
      const top = (s[3]! ^ (seq << 16)) & 0xffff0000;
      for (let b = 0; b < KS_BLOCKS; b++) {
        c[k++] = w0;
        c[k++] = w1;
        c[k++] = w2;
        c[k++] = bswap(top | b);
      }
    }
    this.batchesComputed++;
    return this.ecb.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  }

  /** XOR the AES-CM keystream for (ssrc, index) over buf[start..end), one packet at a time. */
  private xorKeystream(
    buf: Buffer,
    start: number,
    end: number,
    ssrc: number,
    roc: number,
    seq: number,
  ): void {
    const len = end - start;
    if (len <= 0) return;
    const blocks = Math.ceil(len / 16);
    if (this.counters.length < blocks * 16) this.counters = Buffer.alloc(blocks * 16);
    const c = this.counters;
    // IV = (k_s · 2^16) ⊕ (SSRC · 2^64) ⊕ (i · 2^16), i = ROC · 2^16 + SEQ (§4.1.1)
    for (let b = 0; b < blocks; b++) {
      const o = b * 16;
      this.salt.copy(c, o, 0, 14);
      c[o + 4]! ^= ssrc >>> 24;
      c[o + 5]! ^= (ssrc >>> 16) & 0xff;
      c[o + 6]! ^= (ssrc >>> 8) & 0xff;
      c[o + 7]! ^= ssrc & 0xff;
      c[o + 8]! ^= roc >>> 24;
      c[o + 9]! ^= (roc >>> 16) & 0xff;
      c[o + 10]! ^= (roc >>> 8) & 0xff;
      c[o + 11]! ^= roc & 0xff;
      c[o + 12]! ^= seq >>> 8;
      c[o + 13]! ^= seq & 0xff;
      c[o + 14] = b >>> 8;
      c[o + 15] = b & 0xff;
    }
    const ks = this.ecb.update(c.subarray(0, blocks * 16));
    for (let i = 0; i < len; i++) buf[start + i]! ^= ks[i]!;
  }

  /** Encrypt and authenticate an RTP packet whose header is `headerLen` bytes; returns a new buffer. */
  protect(packet: Buffer, headerLen: number): Buffer {
    const out = Buffer.allocUnsafe(packet.length + TAG_LEN);
    packet.copy(out);
    this.protectInPlace(out, headerLen, packet.length);
    return out;
  }

  /**
   * Encrypt buf[headerLen..end) in place and write the tag to buf[end..end + SRTP_TAG_LEN): the caller
   * builds the RTP packet in a buffer with room for the tag, so nothing is allocated or copied here.
   */
  protectInPlace(buf: Buffer, headerLen: number, end: number): void {
    if (buf.length < end + TAG_LEN) throw new RangeError('no room for the SRTP tag');
    const ssrc = ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0;
    const seq = (buf[2]! << 8) | buf[3]!;
    let st = ssrc === this.lastTxSsrc ? this.lastTx : this.tx.get(ssrc);
    if (!st) {
      st = { roc: 0, lastSeq: seq, base: 0, ks: null };
      this.tx.set(ssrc, st);
    } else if (seq < st.lastSeq && st.lastSeq - seq > 0x8000) {
      st.roc = (st.roc + 1) >>> 0; // sequence wrapped (§3.3.1)
    }
    st.lastSeq = seq;
    this.lastTxSsrc = ssrc;
    this.lastTx = st;
    this.xorBatched(st, buf, headerLen, end, ssrc, st.roc, seq);
    // RFC 3711 §4.2: the tag covers the packet and the 32-bit ROC
    this.hmac.tag(buf, 0, end, st.roc, buf, end, TAG_LEN);
  }

  /**
   * Authenticate, replay-check and decrypt an SRTP packet in place. Returns the RTP packet (a view
   * without the tag), or null — forged, corrupted, replayed or truncated packets cost one HMAC at most.
   */
  unprotect(packet: Buffer, headerLen: number): Buffer | null {
    if (packet.length < headerLen + TAG_LEN) return null;
    const end = packet.length - TAG_LEN;
    const ssrc = ((packet[8]! << 24) | (packet[9]! << 16) | (packet[10]! << 8) | packet[11]!) >>> 0;
    const seq = (packet[2]! << 8) | packet[3]!;
    let st = ssrc === this.lastRxSsrc ? this.lastRx : this.rx.get(ssrc);
    // Appendix A: guess the ROC from the highest sequence number seen.
    let roc = 0;
    if (st) {
      roc = st.roc;
      if (st.highestSeq < 0x8000) {
        if (seq - st.highestSeq > 0x8000) roc = (st.roc - 1) >>> 0;
      } else if (st.highestSeq - 0x8000 > seq) {
        roc = (st.roc + 1) >>> 0;
      }
    }
    const index = roc * 0x10000 + seq;
    if (st) {
      if (index <= st.highestIndex - REPLAY_WINDOW) return null;
      if (st.window[index % REPLAY_WINDOW] === index) return null;
    }
    const expected = this.expectedTag;
    this.hmac.tag(packet, 0, end, roc, expected, 0, TAG_LEN);
    let diff = 0; // constant time over the tag, like timingSafeEqual
    for (let i = 0; i < TAG_LEN; i++) diff |= expected[i]! ^ packet[end + i]!;
    if (diff !== 0) return null;
    if (!st) {
      if (this.rx.size >= 16) {
        const oldest = this.rx.keys().next().value!;
        this.rx.delete(oldest);
        if (oldest === this.lastRxSsrc) this.lastRx = null;
      }
      st = {
        roc,
        highestSeq: seq,
        window: new Float64Array(REPLAY_WINDOW).fill(-1),
        highestIndex: index,
        base: 0,
        ks: null,
      };
      this.rx.set(ssrc, st);
    }
    this.lastRxSsrc = ssrc;
    this.lastRx = st;
    st.window[index % REPLAY_WINDOW] = index;
    if (index > st.highestIndex) {
      st.highestIndex = index;
      st.roc = roc;
      st.highestSeq = seq;
    }
    this.xorBatched(st, packet, headerLen, end, ssrc, roc, seq);
    return packet.subarray(0, end);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A big-endian word as the Int32Array value that stores it in network byte order on this machine. */
function bswap(x: number): number {
  if (!LITTLE_ENDIAN) return x | 0;
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}
