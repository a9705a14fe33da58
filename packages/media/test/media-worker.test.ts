import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeUdpRange } from '@switchboard/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDigit } from '../src/dtmf/telephone-event';
import { parseWavHeader } from '../src/player/wav';
import { MediaWorker } from '../src/worker/media-worker';
import { stream, UdpPeer } from './helpers';

let media: MediaWorker;
const dir = mkdtempSync(path.join(tmpdir(), 'mw-'));
beforeAll(async () => {
  const base = await freeUdpRange(100);
  media = await MediaWorker.start({
    bindAddress: '127.0.0.1',
    portMin: base,
    portMax: base + 99,
    recordingsDir: dir,
  });
}, 30_000);
afterAll(async () => {
  await media?.close();
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
      const pb = media.play(a, ['digit-1', 'digit-2']);
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
      const bridge = media.bridge(a, b);
      const rec = await media.record(bridge, a, 'worker/call.wav');
      await Promise.all([stream(customer, aPort, 0, 25, 0x11), stream(agent, bPort, 0, 25, 0x22)]);
      await agent.waitFor(25, (p) => p.payload[0] === 0x11);
      const { durationMs } = await rec.stop();
      expect(durationMs).toBeGreaterThan(300);
      expect(parseWavHeader(readFileSync(rec.file)).channels).toBe(2);
      expect((await a.quality()).packetsReceived).toBeGreaterThanOrEqual(25);
      bridge.unbridge();
    } finally {
      a.close();
      b.close();
      customer.close();
      agent.close();
    }
  });

  it('reports errors from the worker as rejected promises', async () => {
    const leg = await media.createRtpLeg();
    await expect(leg.acceptOffer('v=0\r\nm=video 1 RTP/AVP 96\r\n')).rejects.toThrow(/no audio/);
    leg.close();
    await expect(leg.quality()).rejects.toThrow(/no leg/);
  });

  it('answers a plain RTP offer on the main thread exactly as the worker leg does', async () => {
    await media.spareLegsReady();
    const peer = await UdpPeer.create();
    const leg = await media.createRtpLeg();
    try {
      expect(leg.mirror).not.toBeNull();
      const answer = await leg.acceptOffer(sdp(peer.port));
      expect(answer).toMatch(/m=audio \d+ RTP\/AVP 0 101/);
      // The worker's own leg, asked directly, is at the same SDP version with the same identity.
      const fromWorker = (await media.request({ op: 'leg', id: leg.id, method: 'createOffer' })) as string;
      expect(await leg.createOffer()).toBe(fromWorker);
      // And media flows to the address the offer gave.
      const port = Number(/m=audio (\d+)/.exec(answer)![1]);
      const got = new Promise<void>((resolve) => leg.once('closed', () => resolve()));
      await stream(peer, port, 0, 5, 0x11);
      expect((await leg.quality()).packetsReceived).toBeGreaterThanOrEqual(5);
      leg.close();
      await got;
    } finally {
      peer.close();
    }
    await expect(leg.acceptOffer('v=0\r\nm=audio 4000 RTP/AVP 18\r\n')).rejects.toThrow(/G\.711/);
  });

  it('a leg the worker cannot create (no free RTP port) fails its first request with the reason', async () => {
    const legs = await Promise.all(Array.from({ length: 40 }, () => media.createRtpLeg()));
    const offers = await Promise.allSettled(legs.map((l) => l.createOffer()));
    for (const l of legs) l.close();
    const failed = offers.filter((o) => o.status === 'rejected');
    expect(offers.some((o) => o.status === 'fulfilled')).toBe(true);
    expect(failed.length).toBeGreaterThan(0);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(/port/i);
  });

  it('a worker that dies closes its legs (so calls end) and a new one serves new legs', async () => {
    const leg = await media.createRtpLeg();
    const closed = new Promise<void>((resolve) => leg.once('closed', resolve));
    const restarted = new Promise<Error>((resolve) => {
      media.onRestart = resolve;
    });
    // As if the thread crashed: the main thread only sees it exit.
    await (media as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await closed;
    expect(leg.closed).toBe(true);
    expect((await restarted).message).toMatch(/exited/);
    const fresh = await media.createRtpLeg();
    expect(await fresh.createOffer()).toMatch(/m=audio \d+ RTP\/AVP/);
    fresh.close();
  });
});
