import { randomBytes } from 'node:crypto';
import { freeUdpRange } from '@switchboard/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { Bridge } from '../src/bridge';
import { ULAW_TO_ALAW } from '../src/codecs/g711';
import { planDigit } from '../src/dtmf/telephone-event';
import { RtpLeg } from '../src/legs/rtp-leg';
import { PortPool } from '../src/port-pool';
import { buildReport } from '../src/rtp/rtcp';
import { stream, UdpPeer } from './helpers';

const base = await freeUdpRange(200);
const pool = new PortPool({ min: base, max: base + 199 });
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

async function setup(opts: { lawB?: 'PCMU' | 'PCMA' } = {}) {
  const a = await RtpLeg.create({ pool });
  const b = await RtpLeg.create({ pool, codecs: opts.lawB ? [opts.lawB] : undefined });
  const pa = await UdpPeer.create();
  const pb = await UdpPeer.create();
  // Negotiate with real SDP, as the switch would.
  const offerA = `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${pa.port} RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n`;
  const answerA = await a.acceptOffer(offerA);
  expect(answerA).toContain(`m=audio ${a.port} RTP/AVP 0 101`);
  await b.createOffer();
  const lawB = opts.lawB ?? 'PCMU';
  const pt = lawB === 'PCMU' ? 0 : 8;
  await b.acceptAnswer(
    `v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio ${pb.port} RTP/AVP ${pt} 96\r\na=rtpmap:96 telephone-event/8000\r\n`,
  );
  const bridge = new Bridge(a, b);
  cleanup.push(() => {
    a.close();
    b.close();
    pa.close();
    pb.close();
  });
  return { a, b, pa, pb, bridge };
}

describe('RtpLeg ↔ RtpLeg bridge', () => {
  it('relays audio both ways with our own SSRC and continuous sequence numbers', async () => {
    const { a, b, pa, pb } = await setup();
    await Promise.all([stream(pa, a.port, 0, 20, 0x11), stream(pb, b.port, 0, 20, 0x22)]);
    await pb.waitFor(20);
    await pa.waitFor(20);
    expect(pb.received.every((p) => p.h.ssrc === b.ssrc && p.payload[0] === 0x11)).toBe(true);
    expect(pa.received.every((p) => p.h.ssrc === a.ssrc && p.payload[0] === 0x22)).toBe(true);
    const seqs = pb.received.map((p) => p.h.sequence);
    for (let i = 1; i < seqs.length; i++) expect((seqs[i]! - seqs[i - 1]!) & 0xffff).toBe(1);
    const tss = pb.received.map((p) => p.h.timestamp);
    for (let i = 1; i < tss.length; i++) expect((tss[i]! - tss[i - 1]!) >>> 0).toBe(160);
    expect(a.quality().packetsReceived).toBe(20);
    expect(a.quality().lossRate).toBe(0);
  });

  it('converts PCMU to PCMA when the legs chose different laws', async () => {
    const { a, pa, pb, b } = await setup({ lawB: 'PCMA' });
    expect(b.law).toBe('PCMA');
    pa.send(a.port, 0, Buffer.alloc(160, 0x12));
    await pb.waitFor(1);
    expect(pb.received[0]!.h.payloadType).toBe(8);
    expect(pb.received[0]!.payload[0]).toBe(ULAW_TO_ALAW[0x12]);
  });

  it('passes DTMF through with the other leg’s payload type, and intercepts it on request', async () => {
    const { a, pa, pb, bridge } = await setup();
    const digits: string[] = [];
    a.onDigit((d) => digits.push(d));
    const sendDigit = async (d: string, ts: number) => {
      for (const step of planDigit(d, 60)) {
        pa.send(a.port, 101, step.payload, { ts, marker: step.marker, ssrc: 0x999 });
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await sendDigit('5', 1000);
    await pb.waitFor(6, (p) => p.h.payloadType === 96);
    bridge.dtmf = 'intercept';
    await sendDigit('#', 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(pb.received.filter((p) => p.h.payloadType === 96)).toHaveLength(6);
    expect(digits).toEqual(['5', '#']);
  });

  it('latches to the real source and drops garbage, strangers and floods without disturbing calls', async () => {
    const { a, pa, pb } = await setup();
    const other = await setup();
    const stranger = await UdpPeer.create();
    cleanup.push(() => stranger.close());
    pa.send(a.port, 0, Buffer.alloc(160, 0x33)); // latches
    await pb.waitFor(1);
    // Another call streams while this one is flooded: it must not lose a packet.
    const otherCall = stream(other.pa, other.a.port, 0, 25, 0x66);
    for (let i = 0; i < 3000; i++) stranger.raw(a.port, randomBytes(1 + (i % 300)));
    for (let i = 0; i < 200; i++) stranger.send(a.port, 0, Buffer.alloc(160, 0x44));
    for (let i = 0; i < 200; i++) pa.raw(a.port, randomBytes(7));
    await otherCall;
    await other.pb.waitFor(25);
    expect(other.pb.received.every((p) => p.payload[0] === 0x66)).toBe(true);
    // Once the flood has drained, the flooded call carries on with its latched peer only.
    let last = -1;
    while (a.dropped !== last) {
      last = a.dropped;
      await new Promise((r) => setTimeout(r, 30));
    }
    await stream(pa, a.port, 0, 10, 0x33);
    await pb.waitFor(11);
    expect(pb.received.every((p) => p.payload[0] === 0x33)).toBe(true);
    // Most of the flood is discarded by the kernel (full socket buffer); what reaches us is counted and dropped.
    expect(a.dropped).toBeGreaterThan(100);
  });

  it('follows the peer to a new address on re-INVITE after latching', async () => {
    const { a, pa, pb, b } = await setup();
    pa.send(a.port, 0, Buffer.alloc(160, 0x11));
    await pb.waitFor(1);
    await stream(pb, b.port, 0, 3, 0x22);
    await pa.waitFor(3);
    const moved = await UdpPeer.create();
    cleanup.push(() => moved.close());
    await a.acceptOffer(`v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio ${moved.port} RTP/AVP 0\r\n`);
    moved.send(a.port, 0, Buffer.alloc(160, 0x33));
    await pb.waitFor(1, (p) => p.payload[0] === 0x33);
    await stream(pb, b.port, 0, 3, 0x44);
    await moved.waitFor(3);
    expect(moved.received.every((p) => p.payload[0] === 0x44)).toBe(true);
    const before = pb.received.length;
    pa.send(a.port, 0, Buffer.alloc(160, 0x55)); // the old address is no longer accepted
    await new Promise((r) => setTimeout(r, 100));
    expect(pb.received.length).toBe(before);
  });

  it('stops sending on hold (sendonly re-offer) and resumes', async () => {
    const { a, pa, pb, b } = await setup();
    const offer = (dir: string) =>
      `v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio ${pa.port} RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=${dir}\r\n`;
    const holdAnswer = await a.acceptOffer(offer('sendonly'));
    expect(holdAnswer).toContain('a=recvonly');
    await stream(pb, b.port, 0, 5, 0x22); // the agent talks; the held customer must not hear it
    pa.send(a.port, 0, Buffer.alloc(160, 0x11)); // the customer's music-on-hold still reaches us
    await pb.waitFor(1);
    expect(pa.received).toHaveLength(0);
    expect(await a.acceptOffer(offer('sendrecv'))).toContain('a=sendrecv');
    await stream(pb, b.port, 0, 5, 0x22);
    await pa.waitFor(5);
  });

  it('exchanges RTCP reports and measures round-trip time between two legs', async () => {
    const x = await RtpLeg.create({ pool, rtcpIntervalS: 1 });
    const y = await RtpLeg.create({ pool, rtcpIntervalS: 1 });
    cleanup.push(() => {
      x.close();
      y.close();
    });
    await y.acceptAnswer(await x.acceptOffer(await y.createOffer()));
    // RFC 3550 §6.3.1: each report falls 0.5–1.5 intervals after the last (here 1–2 s), and a round-trip
    // time needs the peer's SR and then our report block echoing it, so allow several intervals.
    const deadline = Date.now() + 12_000;
    while (Date.now() < deadline && (x.quality().rttMs === null || y.quality().rttMs === null)) {
      x.sendFrame(Buffer.alloc(160, 0xff));
      y.sendFrame(Buffer.alloc(160, 0xff));
      await new Promise((r) => setTimeout(r, 20));
    }
    const q = y.quality();
    expect(q.rttMs).not.toBeNull();
    expect(q.rttMs!).toBeGreaterThanOrEqual(0);
    expect(q.rttMs!).toBeLessThan(50);
    expect(q.remoteLossRate).toBe(0);
    expect(q.packetsReceived).toBeGreaterThan(20);
  });

  it('reports media inactivity, but not for a leg on hold', async () => {
    const leg = await RtpLeg.create({ pool, inactivityTimeoutMs: 1000 });
    const held = await RtpLeg.create({ pool, inactivityTimeoutMs: 1000 });
    held.configure({ direction: 'sendonly' }); // we hold the peer: it sends nothing
    cleanup.push(() => {
      leg.close();
      held.close();
    });
    let heldReported = false;
    held.on('inactive', () => {
      heldReported = true;
    });
    const t0 = performance.now();
    const silent = await new Promise<number>((resolve) => leg.once('inactive', resolve));
    expect(silent).toBeGreaterThanOrEqual(1000);
    expect(performance.now() - t0).toBeLessThan(2500);
    await new Promise((r) => setTimeout(r, 1100)); // one more housekeeping pass
    expect(heldReported).toBe(false);
  });

  it('a peer that sends only RTCP (silence suppression) is alive; when RTCP stops too, inactivity is reported', async () => {
    const leg = await RtpLeg.create({ pool, inactivityTimeoutMs: 1000 });
    const peer = await UdpPeer.create();
    cleanup.push(() => {
      leg.close();
      peer.close();
    });
    await leg.acceptOffer(`v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio ${peer.port} RTP/AVP 0\r\n`);
    let inactiveAt = 0;
    leg.on('inactive', () => {
      inactiveAt = performance.now();
    });
    // A receiver report every 250 ms for 2.5 s, to the leg's RTCP port (RTP port + 1).
    const rr = buildReport(0x1234, null, null, 'peer@test');
    const reporting = performance.now();
    while (performance.now() - reporting < 2500) {
      peer.sock.send(rr, leg.port + 1, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(inactiveAt).toBe(0);
    const stopped = performance.now();
    await new Promise<void>((resolve) => leg.once('inactive', () => resolve()));
    expect(inactiveAt - stopped).toBeGreaterThanOrEqual(500);
  });

  it('sends RFC 4733 digits the far end decodes once each', async () => {
    const { a, pa } = await setup();
    await a.sendDigits('19', 60, 20);
    const events = pa.received.filter((p) => p.h.payloadType === 101);
    expect(events.filter((p) => p.h.marker)).toHaveLength(2);
    expect(new Set(events.map((p) => p.h.timestamp)).size).toBe(2);
    expect(events.map((p) => p.payload[0])).toContain(9);
  });
});
