import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDigit } from '../src/dtmf/telephone-event';
import { parseWavHeader } from '../src/player/wav';
import { MediaWorker } from '../src/worker/media-worker';
import { stream, UdpPeer } from './helpers';

let media: MediaWorker;
const dir = mkdtempSync(path.join(tmpdir(), 'mw-'));
beforeAll(async () => {
  media = await MediaWorker.start({
    bindAddress: '127.0.0.1',
    portMin: 31500,
    portMax: 31599,
    recordingsDir: dir,
  });
}, 30_000);
afterAll(async () => {
  await media?.stop();
});

const sdp = (port: number) =>
  `v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio ${port} RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n`;

describe('MediaWorker (media plane in a worker thread)', () => {
  it('bridges, records, plays and reports digits to the main thread', async () => {
    const customer = await UdpPeer.create();
    const agent = await UdpPeer.create();
    const a = await media.createRtpLeg();
    const b = await media.createRtpLeg();
    try {
      const answer = await a.acceptOffer(sdp(customer.port));
      const aPort = Number(/m=audio (\d+)/.exec(answer)![1]);
      await b.createOffer();
      await b.acceptAnswer(sdp(agent.port));
      const bPort = Number(/m=audio (\d+)/.exec(await b.createOffer())![1]);

      // IVR-style: a prompt plays to the customer, digits come back as events.
      const pb = await media.play(a, ['digit-1', 'digit-2']);
      expect(await pb.done).toBe('finished');
      expect(customer.received.length).toBeGreaterThan(10);
      const digits: string[] = [];
      a.onDigit((d) => digits.push(d));
      const collected = a.collect({ terminator: '#', firstDigitTimeoutMs: 3000 });
      for (const [digit, ts] of [
        ['4', 100],
        ['#', 2000],
      ] as const) {
        for (const step of planDigit(digit, 40))
          customer.send(aPort, 101, step.payload, { ts, marker: step.marker });
      }
      expect(await collected).toBe('4');
      expect(digits).toEqual(['4', '#']);

      // Bridge and record.
      const bridge = await media.bridge(a, b);
      const rec = await media.record(bridge, a, 'worker/call.wav');
      await Promise.all([stream(customer, aPort, 0, 25, 0x11), stream(agent, bPort, 0, 25, 0x22)]);
      await agent.waitFor(25, (p) => p.payload[0] === 0x11);
      const { durationMs } = await rec.stop();
      expect(durationMs).toBeGreaterThan(300);
      expect(parseWavHeader(readFileSync(rec.file)).channels).toBe(2);
      expect((await a.quality()).packetsReceived).toBeGreaterThanOrEqual(25);
      await bridge.unbridge();
    } finally {
      await a.close();
      await b.close();
      customer.close();
      agent.close();
    }
  });

  it('reports errors from the worker as rejected promises', async () => {
    const leg = await media.createRtpLeg();
    await expect(leg.acceptOffer('v=0\r\nm=video 1 RTP/AVP 96\r\n')).rejects.toThrow(/no audio/);
    await leg.close();
    await expect(leg.quality()).rejects.toThrow(/no leg/);
  });
});
