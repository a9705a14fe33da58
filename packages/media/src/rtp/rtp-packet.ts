// RTP fixed header (RFC 3550 §5.1) read and written straight on Buffers: no object per field, no bit
// reader. The relay rewrites SSRC/sequence/timestamp in place and sends the same Buffer on.

export const RTP_VERSION = 2;
export const RTP_HEADER_MIN = 12;

export interface RtpHeaderView {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** Offset of the payload inside the buffer (after CSRCs and header extension). */
  payloadOffset: number;
  /** End of the payload (before padding). */
  payloadEnd: number;
}

/** True when the first byte says RTP/RTCP version 2 (RFC 7983 demultiplexing puts RTP in 128..191). */
export function looksLikeRtp(buf: Buffer): boolean {
  return buf.length >= RTP_HEADER_MIN && buf[0]! >> 6 === RTP_VERSION;
}

/** RTCP packet types 192..223 share the second byte with RTP marker+PT (RFC 5761 §4). */
export function isRtcp(buf: Buffer): boolean {
  if (buf.length < 8 || buf[0]! >> 6 !== RTP_VERSION) return false;
  const pt = buf[1]!;
  return pt >= 192 && pt <= 223;
}

/**
 * Parse an RTP header into `out` (reused by the caller). Returns false for anything malformed so the
 * caller can drop it without throwing — hostile input on a media port must never cost more than this.
 */
export function parseRtp(buf: Buffer, out: RtpHeaderView): boolean {
  const len = buf.length;
  if (len < RTP_HEADER_MIN) return false;
  const b0 = buf[0]!;
  if (b0 >> 6 !== RTP_VERSION) return false;
  const cc = b0 & 0x0f;
  let offset = RTP_HEADER_MIN + cc * 4;
  if (offset > len) return false;
  if (b0 & 0x10) {
    if (offset + 4 > len) return false;
    const extWords = buf.readUInt16BE(offset + 2);
    offset += 4 + extWords * 4;
    if (offset > len) return false;
  }
  let end = len;
  if (b0 & 0x20) {
    const pad = buf[len - 1]!;
    if (pad === 0 || offset + pad > len) return false;
    end -= pad;
  }
  const b1 = buf[1]!;
  out.marker = (b1 & 0x80) !== 0;
  out.payloadType = b1 & 0x7f;
  // Byte loads rather than readUInt*BE: the length is already checked, and Node's readers re-validate
  // their offset on every call (this runs for every packet).
  out.sequence = (buf[2]! << 8) | buf[3]!;
  out.timestamp = ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0;
  out.ssrc = ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0;
  out.payloadOffset = offset;
  out.payloadEnd = end;
  return true;
}

export function newHeaderView(): RtpHeaderView {
  return {
    payloadType: 0,
    marker: false,
    sequence: 0,
    timestamp: 0,
    ssrc: 0,
    payloadOffset: 0,
    payloadEnd: 0,
  };
}

/** Build a packet with a 12-byte header and no CSRC/extension. */
export function buildRtp(
  payloadType: number,
  sequence: number,
  timestamp: number,
  ssrc: number,
  payload: Uint8Array,
  marker = false,
): Buffer {
  const buf = Buffer.allocUnsafe(RTP_HEADER_MIN + payload.length);
  writeRtpHeader(buf, payloadType, sequence, timestamp, ssrc, marker);
  buf.set(payload, RTP_HEADER_MIN);
  return buf;
}

export function writeRtpHeader(
  buf: Buffer,
  payloadType: number,
  sequence: number,
  timestamp: number,
  ssrc: number,
  marker: boolean,
): void {
  buf[0] = 0x80;
  buf[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  writeWords(buf, sequence, timestamp, ssrc);
}

/** Sequence number, timestamp and SSRC as plain byte stores (typed-array stores truncate to 8 bits). */
function writeWords(buf: Buffer, sequence: number, timestamp: number, ssrc: number): void {
  buf[2] = sequence >>> 8;
  buf[3] = sequence;
  buf[4] = timestamp >>> 24;
  buf[5] = timestamp >>> 16;
  buf[6] = timestamp >>> 8;
  buf[7] = timestamp;
  buf[8] = ssrc >>> 24;
  buf[9] = ssrc >>> 16;
  buf[10] = ssrc >>> 8;
  buf[11] = ssrc;
}

/** Rewrite the identity fields of a packet in place (used by the bridge for every forwarded packet). */
export function rewriteRtp(
  buf: Buffer,
  payloadType: number,
  sequence: number,
  timestamp: number,
  ssrc: number,
): void {
  buf[1] = (buf[1]! & 0x80) | (payloadType & 0x7f);
  writeWords(buf, sequence & 0xffff, timestamp, ssrc);
}

export function randomSsrc(): number {
  return (Math.random() * 0x100000000) >>> 0;
}

/** Signed distance a-b in 16-bit sequence space (RFC 3550 A.1 wrap handling). */
export function seqDiff(a: number, b: number): number {
  return ((a - b + 0x8000) & 0xffff) - 0x8000;
}
