import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RtpHeader, SrtpSession } from 'werift';
import { buildRtp, newHeaderView, parseRtp } from '../rtp/rtp-packet';
import { KS_BATCH, KS_STRIDE, SRTP_AES128_CM_HMAC_SHA1_80, SRTP_TAG_LEN, SrtpContext } from './srtp-context';

const keyA = randomBytes(16);
const saltA = randomBytes(14);
const keyB = randomBytes(16);
const saltB = randomBytes(14);

function weriftSession(): SrtpSession {
  // werift's view from the peer: it sends with B keys and receives with our A keys.
  return new SrtpSession({
    keys: { localMasterKey: keyB, localMasterSalt: saltB, remoteMasterKey: keyA, remoteMasterSalt: saltA },
    profile: SRTP_AES128_CM_HMAC_SHA1_80,
  });
}

describe('lean SRTP (AES_CM_128_HMAC_SHA1_80)', () => {
  it('interoperates with werift both ways, across a sequence wrap', () => {
    const ours = new SrtpContext(keyA, saltA);
    const theirs = new SrtpContext(keyB, saltB);
    const peer = weriftSession();
    for (let i = 0; i < 40; i++) {
      const seq = (65520 + i) & 0xffff;
      const payload = randomBytes(160);
      const enc = ours.protect(buildRtp(0, seq, i * 160, 0xabcdef, payload), 12);
      const dec = peer.decrypt(enc);
      expect(Buffer.compare(dec.subarray(12), payload)).toBe(0);

      const fromPeer = peer.encrypt(
        payload,
        new RtpHeader({ payloadType: 0, sequenceNumber: seq, timestamp: i * 160, ssrc: 0x1234 }),
      );
      const plain = theirs.unprotect(Buffer.from(fromPeer), 12);
      expect(plain).not.toBeNull();
      const h = newHeaderView();
      expect(parseRtp(plain!, h)).toBe(true);
      expect(h.sequence).toBe(seq);
      expect(Buffer.compare(plain!.subarray(12), payload)).toBe(0);
    }
  });

  it('drops forged, corrupted, replayed and random packets', () => {
    const tx = new SrtpContext(keyA, saltA);
    const rx = new SrtpContext(keyA, saltA);
    const pkt = tx.protect(buildRtp(0, 10, 1600, 7, randomBytes(160)), 12);
    const corrupted = Buffer.from(pkt);
    corrupted[40]! ^= 1;
    expect(rx.unprotect(corrupted, 12)).toBeNull();
    expect(rx.unprotect(Buffer.from(pkt), 12)).not.toBeNull();
    expect(rx.unprotect(Buffer.from(pkt), 12)).toBeNull(); // replay
    const forged = new SrtpContext(randomBytes(16), saltA).protect(
      buildRtp(0, 11, 1760, 7, randomBytes(160)),
      12,
    );
    expect(rx.unprotect(forged, 12)).toBeNull();
    for (let i = 0; i < 500; i++) {
      const r = randomBytes(12 + (i % 200));
      r[0] = 0x80;
      expect(rx.unprotect(r, 12)).toBeNull();
    }
  });

  it('batched keystream matches werift for reordering, loss, several SSRCs and any payload length', () => {
    const ours = new SrtpContext(keyA, saltA);
    const theirs = new SrtpContext(keyB, saltB);
    const peer = weriftSession();
    // In order, a jump past the batch, a late packet from before the batch, interleaved streams, and
    // payloads from a 4-byte telephone event to one longer than the precomputed stride.
    const plan: [ssrc: number, seq: number, len: number][] = [];
    for (let i = 0; i < 40; i++) plan.push([0x1111, 100 + i, 160]);
    plan.push([0x1111, 500, 160], [0x1111, 480, 160], [0x1111, 501, 4], [0x1111, 502, KS_STRIDE + 1]);
    for (let i = 0; i < 20; i++) plan.push([0x2222, 65530 + i, 160], [0x3333, 7 + i, 80]);
    for (const [ssrc, seq, len] of plan) {
      const payload = randomBytes(len);
      const dec = peer.decrypt(ours.protect(buildRtp(0, seq & 0xffff, seq * 160, ssrc, payload), 12));
      expect(Buffer.compare(dec.subarray(12), payload)).toBe(0);
      const fromPeer = peer.encrypt(
        payload,
        new RtpHeader({ payloadType: 0, sequenceNumber: seq & 0xffff, timestamp: seq * 160, ssrc }),
      );
      const plain = theirs.unprotect(Buffer.from(fromPeer), 12);
      expect(plain).not.toBeNull();
      expect(Buffer.compare(plain!.subarray(12), payload)).toBe(0);
    }
  });

  it('computes keystream once per batch of in-order packets', () => {
    const tx = new SrtpContext(keyA, saltA);
    const rx = new SrtpContext(keyA, saltA);
    const packets = 4 * KS_BATCH;
    for (let i = 0; i < packets; i++) {
      const pkt = tx.protect(buildRtp(0, 1000 + i, i * 160, 9, randomBytes(160)), 12);
      expect(rx.unprotect(pkt, 12)).not.toBeNull();
    }
    expect(tx.batchesComputed).toBe(packets / KS_BATCH);
    expect(rx.batchesComputed).toBe(packets / KS_BATCH);
  });

  it('protects in place into a buffer with room for the tag, like protect()', () => {
    const a = new SrtpContext(keyA, saltA);
    const b = new SrtpContext(keyA, saltA);
    const rtp = buildRtp(0, 42, 6720, 5, randomBytes(160));
    const room = Buffer.alloc(rtp.length + SRTP_TAG_LEN);
    rtp.copy(room);
    a.protectInPlace(room, 12, rtp.length);
    expect(Buffer.compare(room, b.protect(rtp, 12))).toBe(0);
    expect(() => a.protectInPlace(Buffer.from(rtp), 12, rtp.length)).toThrow(RangeError);
  });

  it('keeps replay protection per SSRC across interleaved streams and evictions', () => {
    const tx = new SrtpContext(keyA, saltA);
    const rx = new SrtpContext(keyA, saltA);
    const a = tx.protect(buildRtp(0, 5, 800, 0xf0000001, randomBytes(160)), 12);
    const b = tx.protect(buildRtp(0, 9, 1440, 0xf0000002, randomBytes(160)), 12);
    expect(rx.unprotect(Buffer.from(a), 12)).not.toBeNull();
    expect(rx.unprotect(Buffer.from(b), 12)).not.toBeNull();
    expect(rx.unprotect(Buffer.from(a), 12)).toBeNull();
    expect(rx.unprotect(Buffer.from(b), 12)).toBeNull();
    // 16 more streams evict the oldest; the last one seen is still replay-checked.
    let last = b;
    for (let i = 0; i < 16; i++) {
      last = tx.protect(buildRtp(0, 1, 160, 0xe0000000 + i, randomBytes(160)), 12);
      expect(rx.unprotect(Buffer.from(last), 12)).not.toBeNull();
    }
    expect(rx.unprotect(Buffer.from(last), 12)).toBeNull();
    const next = tx.protect(buildRtp(0, 10, 1600, 0xf0000002, randomBytes(160)), 12);
    expect(rx.unprotect(next, 12)).not.toBeNull();
  });
});
