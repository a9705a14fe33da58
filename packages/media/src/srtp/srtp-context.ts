// SRTP for AES_CM_128_HMAC_SHA1_80 (RFC 3711), written for the per-packet cost. werift creates a new
// AES-CTR cipher and a new HMAC for every packet; here one AES-ECB cipher object per direction produces
// the counter-mode keystream (AES-CM is AES over successive counter blocks, §4.1.1, so any block cipher
// encrypting those blocks gives the same keystream), and HMAC-SHA1 runs in JS from precomputed inner and
// outer key states (hmac-sha1.ts), allocating nothing per packet.

import { type Cipher, createCipheriv } from 'node:crypto';
import { HmacSha1 } from './hmac-sha1';

export const SRTP_AES128_CM_HMAC_SHA1_80 = 0x0001;
const TAG_LEN = 10;
const REPLAY_WINDOW = 64;

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

interface RxState {
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
  private readonly tx = new Map<number, { roc: number; lastSeq: number }>();
  private counters = Buffer.alloc(16 * 12);

  constructor(masterKey: Buffer, masterSalt: Buffer) {
    if (masterKey.length !== 16 || masterSalt.length !== 14)
      throw new Error('AES_CM_128 needs a 16-byte key and 14-byte salt');
    const sessionKey = deriveKey(masterKey, masterSalt, 0, 16);
    const authKey = deriveKey(masterKey, masterSalt, 1, 20);
    this.salt = deriveKey(masterKey, masterSalt, 2, 14);
    this.ecb = createCipheriv('aes-128-ecb', sessionKey, null);
    this.ecb.setAutoPadding(false);
    this.hmac = new HmacSha1(authKey);
  }

  /** XOR the AES-CM keystream for (ssrc, index) over buf[start..end). */
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
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    let st = this.tx.get(ssrc);
    if (!st) {
      st = { roc: 0, lastSeq: seq };
      this.tx.set(ssrc, st);
    } else if (seq < st.lastSeq && st.lastSeq - seq > 0x8000) {
      st.roc = (st.roc + 1) >>> 0; // sequence wrapped (§3.3.1)
    }
    st.lastSeq = seq;
    const out = Buffer.allocUnsafe(packet.length + TAG_LEN);
    packet.copy(out);
    this.xorKeystream(out, headerLen, packet.length, ssrc, st.roc, seq);
    // RFC 3711 §4.2: the tag covers the packet and the 32-bit ROC
    this.hmac.tag(out, 0, packet.length, st.roc, out, packet.length, TAG_LEN);
    return out;
  }

  /**
   * Authenticate, replay-check and decrypt an SRTP packet in place. Returns the RTP packet (a view
   * without the tag), or null — forged, corrupted, replayed or truncated packets cost one HMAC at most.
   */
  unprotect(packet: Buffer, headerLen: number): Buffer | null {
    if (packet.length < headerLen + TAG_LEN) return null;
    const end = packet.length - TAG_LEN;
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    let st = this.rx.get(ssrc);
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
      if (this.rx.size >= 16) this.rx.delete(this.rx.keys().next().value!);
      st = { roc, highestSeq: seq, window: new Float64Array(REPLAY_WINDOW).fill(-1), highestIndex: index };
      this.rx.set(ssrc, st);
    }
    st.window[index % REPLAY_WINDOW] = index;
    if (index > st.highestIndex) {
      st.highestIndex = index;
      st.roc = roc;
      st.highestSeq = seq;
    }
    this.xorKeystream(packet, headerLen, end, ssrc, roc, seq);
    return packet.subarray(0, end);
  }
}
