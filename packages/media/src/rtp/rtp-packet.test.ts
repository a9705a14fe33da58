import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReceiveStats } from './receive-stats';
import { buildReport, ntpMiddle, parseRtcp, rttFromReport } from './rtcp';
import { buildRtp, isRtcp, newHeaderView, parseRtp, rewriteRtp, seqDiff, writeRtpHeader } from './rtp-packet';

describe('RTP header', () => {
  it('builds and parses', () => {
    const pkt = buildRtp(0, 65535, 0xfffffff0, 0xdeadbeef, Buffer.alloc(160, 0xff), true);
    const h = newHeaderView();
    expect(parseRtp(pkt, h)).toBe(true);
    expect(h).toMatchObject({
      payloadType: 0,
      marker: true,
      sequence: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      payloadOffset: 12,
      payloadEnd: 172,
    });
    rewriteRtp(pkt, 8, 7, 1234, 42);
    parseRtp(pkt, h);
    expect(h).toMatchObject({ payloadType: 8, marker: true, sequence: 7, timestamp: 1234, ssrc: 42 });
  });

  it('writes and reads the header words exactly as the Buffer big-endian accessors do', () => {
    const h = newHeaderView();
    const pkt = Buffer.alloc(172);
    for (let i = 0; i < 500; i++) {
      // Out-of-range inputs as the callers' arithmetic can produce them: > 16 bits, negative int32.
      const seq = (Math.random() * 0x20000) | 0;
      const ts = i % 2 ? (Math.random() * 0x100000000) | 0 : Math.random() * 0x100000000;
      const ssrc = (Math.random() * 0x100000000) | 0;
      writeRtpHeader(pkt, 0, seq, ts, ssrc, false);
      expect(pkt.readUInt16BE(2)).toBe(seq & 0xffff);
      expect(pkt.readUInt32BE(4)).toBe(Math.floor(ts) >>> 0);
      expect(pkt.readUInt32BE(8)).toBe(ssrc >>> 0);
      expect(parseRtp(pkt, h)).toBe(true);
      expect([h.sequence, h.timestamp, h.ssrc]).toEqual([seq & 0xffff, Math.floor(ts) >>> 0, ssrc >>> 0]);
    }
  });

  it('handles CSRCs, extension and padding', () => {
    const pkt = Buffer.alloc(12 + 4 + 8 + 10 + 3);
    pkt[0] = 0x80 | 0x20 | 0x10 | 1; // padding, extension, 1 CSRC
    pkt[1] = 8;
    pkt.writeUInt16BE(1, 16 + 2); // extension length: 1 word
    pkt[pkt.length - 1] = 3;
    const h = newHeaderView();
    expect(parseRtp(pkt, h)).toBe(true);
    expect(h.payloadOffset).toBe(12 + 4 + 8);
    expect(h.payloadEnd).toBe(pkt.length - 3);
  });

  it('rejects malformed and random input without throwing', () => {
    const h = newHeaderView();
    expect(parseRtp(Buffer.alloc(5), h)).toBe(false);
    expect(parseRtp(Buffer.from([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), h)).toBe(false);
    const bad = Buffer.alloc(12);
    bad[0] = 0x8f; // 15 CSRCs in a 12-byte packet
    expect(parseRtp(bad, h)).toBe(false);
    for (let i = 0; i < 2000; i++) {
      const r = randomBytes(1 + (i % 200));
      const ok = parseRtp(r, h);
      if (ok) expect(h.payloadEnd).toBeLessThanOrEqual(r.length);
      expect(() => parseRtcp(r)).not.toThrow();
    }
  });

  it('computes sequence distance across wrap', () => {
    expect(seqDiff(2, 65534)).toBe(4);
    expect(seqDiff(65534, 2)).toBe(-4);
  });
});

describe('receive statistics (RFC 3550 A.1, A.3, A.8)', () => {
  it('counts loss across sequence wrap', () => {
    const s = new ReceiveStats();
    let seq = 65500;
    for (let i = 0; i < 100; i++) {
      if (i % 10 !== 5) s.update(1, seq, i * 160, 160, i * 20);
      seq = (seq + 1) & 0xffff;
    }
    expect(s.expected).toBe(100);
    expect(s.lost).toBe(10);
    expect(s.takeFractionLost()).toBe(Math.floor((10 * 256) / 100));
  });

  it('reports zero jitter for perfectly paced packets and positive jitter otherwise', () => {
    const even = new ReceiveStats();
    const jittery = new ReceiveStats();
    for (let i = 0; i < 200; i++) {
      even.update(1, i, i * 160, 160, i * 20);
      jittery.update(1, i, i * 160, 160, i * 20 + (i % 2 ? 8 : 0));
    }
    expect(even.jitter).toBe(0);
    // A.8 converges to the mean |D| = 8 ms = 64 units
    expect(jittery.jitterMs).toBeGreaterThan(6);
    expect(jittery.jitterMs).toBeLessThan(9);
  });
});

describe('RTCP', () => {
  it('builds an SR that parses back, and derives RTT from LSR/DLSR', () => {
    const recv = new ReceiveStats();
    for (let i = 0; i < 10; i++) recv.update(99, i, i * 160, 160, i * 20);
    const now = Date.now();
    recv.lastSrNtpMiddle = ntpMiddle(now - 300);
    recv.lastSrArrivalMs = now - 100; // the peer's SR left it 300 ms ago, we held it 100 ms
    const pkt = buildReport(1234, { packets: 50, octets: 8000, rtpTimestamp: 555 }, recv, 'test', now);
    expect(isRtcp(pkt)).toBe(true);
    const r = parseRtcp(pkt)!;
    expect(r.senderSsrc).toBe(1234);
    expect(r.srPacketCount).toBe(50);
    expect(r.reports).toHaveLength(1);
    expect(r.reports[0]!.ssrc).toBe(99);
    // the peer receives our RR 50 ms later: RTT = 350 - 100 - ... = now+50 - (now-300) - 100 = 250
    const rtt = rttFromReport(r.reports[0]!, now + 50)!;
    expect(rtt).toBeGreaterThan(245);
    expect(rtt).toBeLessThan(255);
  });

  it('rejects truncated compound packets', () => {
    const pkt = buildReport(1, null, null, 'x');
    expect(parseRtcp(pkt)).not.toBeNull();
    expect(parseRtcp(pkt.subarray(0, pkt.length - 2))).toBeNull();
  });
});
