import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RtpHeader, SrtpSession } from 'werift';
import { buildRtp, newHeaderView, parseRtp } from '../rtp/rtp-packet';
import { SRTP_AES128_CM_HMAC_SHA1_80, SrtpContext } from './srtp-context';

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
});
