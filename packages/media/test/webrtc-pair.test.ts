import { freeUdpRange } from '@switchboard/test-support';
import { describe, expect, it } from 'vitest';
import { WebRtcLeg } from '../src/legs/webrtc-leg';

async function leg(): Promise<WebRtcLeg> {
  const port = await freeUdpRange(10);
  return new WebRtcLeg({
    publicAddress: '127.0.0.1',
    portRange: [port, port + 9],
    connectTimeoutMs: 6000,
    rtcpIntervalS: 1,
  });
}

describe('WebRtcLeg ↔ WebRtcLeg (werift on both sides)', () => {
  it('connects and carries audio and DTMF on the lean path', async () => {
    const a = await leg();
    const b = await leg();
    try {
      await a.acceptAnswer(await b.acceptOffer(await a.createOffer()));
      await Promise.all([a.connected(), b.connected()]);
      expect(a.leanPath && b.leanPath).toBe(true);
      expect(a.leanOnSocket && b.leanOnSocket).toBe(true);
      for (let i = 0; i < 20; i++) a.sendFrame(Buffer.alloc(160, 0x42));
      const digit = b.digits.nextDigit(3000);
      await a.sendDigit('8', 60);
      expect(await digit).toBe('8');
      expect(b.quality().packetsReceived).toBe(20);
      // SR/RR over SRTCP: each side learns the round-trip time from the other's report blocks.
      for (let i = 0; i < 150 && (a.quality().rttMs === null || b.quality().rttMs === null); i++) {
        a.sendFrame(Buffer.alloc(160, 0x42));
        b.sendFrame(Buffer.alloc(160, 0x42));
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(a.quality().rttMs).not.toBeNull();
      expect(b.quality().rttMs!).toBeLessThan(50);
      expect(b.quality().remoteLossRate).toBe(0);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses a peer whose DTLS certificate does not match the SDP fingerprint', async () => {
    const a = await leg();
    const b = await leg();
    try {
      const offer = await a.createOffer();
      // Replace the offerer's fingerprint with another (valid-looking) one.
      const forged = offer.replace(
        /a=fingerprint:sha-256 (\S+)/,
        (_m, fp: string) =>
          `a=fingerprint:sha-256 ${fp
            .split(':')
            .map((x) => (x === 'AA' ? 'BB' : 'AA'))
            .join(':')}`,
      );
      expect(forged).not.toBe(offer);
      await a.acceptAnswer(await b.acceptOffer(forged));
      await expect(b.connected()).rejects.toThrow(/failed|closed|not connected/);
      expect(a.pc.connectionState === 'connected' && b.pc.connectionState === 'connected').toBe(false);
      expect(b.quality().packetsReceived).toBe(0);
    } finally {
      a.close();
      b.close();
    }
  });
});
