// RTCP sender/receiver reports (RFC 3550 §6.4). We emit SR (when we sent media) or RR plus SDES CNAME,
// and read the peer's report blocks about us to get their view of loss/jitter and the round-trip time
// (§6.4.1: RTT = arrival - LSR - DLSR, all in 1/65536 s units of the middle 32 bits of NTP).

import type { ReceiveStats } from './receive-stats';

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;

const NTP_EPOCH_OFFSET = 2208988800;

export interface ReportBlock {
  ssrc: number;
  fractionLost: number;
  cumulativeLost: number;
  extendedMax: number;
  jitter: number;
  lsr: number;
  dlsr: number;
}

export interface ParsedRtcp {
  senderSsrc: number;
  /** Middle 32 bits of the SR's NTP timestamp, 0 when there was no SR. */
  srNtpMiddle: number;
  srPacketCount: number;
  reports: ReportBlock[];
  bye: boolean;
}

export function ntpNow(nowMs = Date.now()): { sec: number; frac: number } {
  const sec = Math.floor(nowMs / 1000) + NTP_EPOCH_OFFSET;
  const frac = Math.floor(((nowMs % 1000) / 1000) * 0x100000000);
  return { sec: sec >>> 0, frac: frac >>> 0 };
}

export function ntpMiddle(nowMs = Date.now()): number {
  const { sec, frac } = ntpNow(nowMs);
  return ((sec & 0xffff) * 0x10000 + (frac >>> 16)) >>> 0;
}

export interface SenderInfo {
  packets: number;
  octets: number;
  rtpTimestamp: number;
}

/** Build a compound RTCP packet: SR or RR with at most one report block, then SDES CNAME. */
export function buildReport(
  ssrc: number,
  sender: SenderInfo | null,
  recv: ReceiveStats | null,
  cname: string,
  nowMs = Date.now(),
): Buffer {
  const hasBlock = recv !== null && recv.ssrc >= 0;
  const blockLen = hasBlock ? 24 : 0;
  const headLen = sender ? 28 : 8;
  const first = Buffer.alloc(headLen + blockLen);
  first[0] = 0x80 | (hasBlock ? 1 : 0);
  first[1] = sender ? RTCP_SR : RTCP_RR;
  first.writeUInt16BE(first.length / 4 - 1, 2);
  first.writeUInt32BE(ssrc >>> 0, 4);
  let o = 8;
  if (sender) {
    const ntp = ntpNow(nowMs);
    first.writeUInt32BE(ntp.sec, 8);
    first.writeUInt32BE(ntp.frac, 12);
    first.writeUInt32BE(sender.rtpTimestamp >>> 0, 16);
    first.writeUInt32BE(sender.packets >>> 0, 20);
    first.writeUInt32BE(sender.octets >>> 0, 24);
    o = 28;
  }
  if (hasBlock && recv) {
    first.writeUInt32BE(recv.ssrc >>> 0, o);
    first[o + 4] = recv.takeFractionLost();
    first.writeIntBE(Math.min(0x7fffff, recv.lost), o + 5, 3);
    first.writeUInt32BE(recv.extendedMax >>> 0, o + 8);
    first.writeUInt32BE(recv.jitter >>> 0, o + 12);
    first.writeUInt32BE(recv.lastSrNtpMiddle >>> 0, o + 16);
    const dlsr = recv.lastSrArrivalMs ? Math.round(((nowMs - recv.lastSrArrivalMs) * 65536) / 1000) : 0;
    first.writeUInt32BE(recv.lastSrNtpMiddle ? dlsr >>> 0 : 0, o + 20);
  }
  const name = Buffer.from(cname, 'utf8').subarray(0, 255);
  // SDES chunk: SSRC, CNAME item, terminating zero, padded to 32 bits.
  const chunkLen = Math.ceil((4 + 2 + name.length + 1) / 4) * 4;
  const sdes = Buffer.alloc(4 + chunkLen);
  sdes[0] = 0x81;
  sdes[1] = RTCP_SDES;
  sdes.writeUInt16BE(sdes.length / 4 - 1, 2);
  sdes.writeUInt32BE(ssrc >>> 0, 4);
  sdes[8] = 1;
  sdes[9] = name.length;
  name.copy(sdes, 10);
  return Buffer.concat([first, sdes]);
}

/** Parse a compound RTCP packet; returns null when it is not well-formed (it is then dropped). */
export function parseRtcp(buf: Buffer): ParsedRtcp | null {
  const result: ParsedRtcp = { senderSsrc: 0, srNtpMiddle: 0, srPacketCount: 0, reports: [], bye: false };
  let o = 0;
  let any = false;
  while (o + 4 <= buf.length) {
    if (buf[o]! >> 6 !== 2) return null;
    const count = buf[o]! & 0x1f;
    const type = buf[o + 1]!;
    const len = (buf.readUInt16BE(o + 2) + 1) * 4;
    if (o + len > buf.length) return null;
    if ((type === RTCP_SR || type === RTCP_RR) && len >= 8) {
      result.senderSsrc = buf.readUInt32BE(o + 4);
      let p = o + 8;
      if (type === RTCP_SR) {
        if (len < 28) return null;
        result.srNtpMiddle =
          ((buf.readUInt32BE(o + 8) & 0xffff) * 0x10000 + (buf.readUInt32BE(o + 12) >>> 16)) >>> 0;
        result.srPacketCount = buf.readUInt32BE(o + 20);
        p = o + 28;
      }
      for (let i = 0; i < count && p + 24 <= o + len; i++, p += 24) {
        result.reports.push({
          ssrc: buf.readUInt32BE(p),
          fractionLost: buf[p + 4]!,
          cumulativeLost: buf.readIntBE(p + 5, 3),
          extendedMax: buf.readUInt32BE(p + 8),
          jitter: buf.readUInt32BE(p + 12),
          lsr: buf.readUInt32BE(p + 16),
          dlsr: buf.readUInt32BE(p + 20),
        });
      }
      any = true;
    } else if (type === RTCP_BYE) {
      result.bye = true;
      any = true;
    } else if (type >= 192 && type <= 223) {
      any = true;
    } else {
      return null;
    }
    o += len;
  }
  return any && o === buf.length ? result : null;
}

/** Round-trip time in ms from a report block about our stream (RFC 3550 §6.4.1), or null if unknown. */
export function rttFromReport(block: ReportBlock, arrivalMs = Date.now()): number | null {
  if (block.lsr === 0) return null;
  const a = ntpMiddle(arrivalMs);
  const rtt = (a - block.lsr - block.dlsr) >>> 0;
  if (rtt > 0x7fffffff) return null;
  return (rtt * 1000) / 65536;
}
