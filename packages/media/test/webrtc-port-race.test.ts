import dgram from 'node:dgram';
import { freeUdpRange } from '@switchboard/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { WebRtcLeg } from '../src/legs/webrtc-leg';

const MIN = await freeUdpRange(10);
const MAX = MIN + 9;

/**
 * werift picks an ICE port by binding a probe socket, closing it, then binding the real one: another
 * socket (another leg, an RTP pool, another process) can take the port in between. werift 0.24.4 did
 * not listen for that bind's error, so it was thrown as an uncaught exception and took the whole
 * media thread (and every call in it) down. patches/werift+0.24.4.patch retries with another port.
 */
describe('WebRtcLeg when its ICE port is taken between werift’s probe and its bind', () => {
  const originalClose = dgram.Socket.prototype.close;
  const taken: dgram.Socket[] = [];
  afterEach(() => {
    dgram.Socket.prototype.close = originalClose;
    for (const s of taken.splice(0)) s.close();
  });

  it('gathers on another port of its range instead of crashing the process', {
    timeout: 10_000,
  }, async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    // Take the first port werift probes in the range the moment its probe socket closes, before
    // werift binds it again.
    let stolenPort: number | null = null;
    dgram.Socket.prototype.close = function (this: dgram.Socket, callback?: () => void) {
      let bound: { address: string; port: number } | null = null;
      try {
        bound = this.address();
      } catch {
        // never bound
      }
      if (stolenPort === null && bound && bound.port >= MIN && bound.port <= MAX) {
        const { address, port } = bound;
        stolenPort = port;
        return originalClose.call(this, () => {
          const thief = dgram.createSocket('udp4');
          taken.push(thief);
          thief.bind({ port, address, exclusive: true });
          callback?.();
        });
      }
      return originalClose.call(this, callback);
    } as typeof dgram.Socket.prototype.close;

    const leg = new WebRtcLeg({ publicAddress: '127.0.0.1', portRange: [MIN, MAX] });
    try {
      const offer = await leg.createOffer();
      expect(stolenPort).not.toBeNull();
      const candidatePorts = [...offer.matchAll(/a=candidate:\S+ 1 udp \d+ \S+ (\d+) typ host/g)].map((m) =>
        Number(m[1]),
      );
      expect(candidatePorts.length).toBeGreaterThan(0);
      expect(candidatePorts).not.toContain(stolenPort);
      expect(candidatePorts.every((p) => p >= MIN && p <= MAX)).toBe(true);
      expect(uncaught).toEqual([]);
    } finally {
      leg.close();
      process.off('uncaughtException', onUncaught);
    }
  });
});
