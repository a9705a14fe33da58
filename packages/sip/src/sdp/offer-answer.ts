import { type MediaAttributes, parse, type SessionDescription, write } from 'sdp-transform';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export type G711 = 'PCMU' | 'PCMA';

/** Static payload types of RFC 3551 that need no rtpmap. */
const STATIC: Record<number, { codec: string; rate: number }> = {
  0: { codec: 'PCMU', rate: 8000 },
  8: { codec: 'PCMA', rate: 8000 },
};

export interface AudioCodec {
  payload: number;
  codec: string;
  rate: number;
}

type Media = SessionDescription['media'][number];

export function parseSdp(sdp: string): SessionDescription {
  return parse(sdp);
}

export function writeSdp(session: SessionDescription): string {
  return write(session);
}

/** The codecs of one m-line, in the offerer's order of preference. */
export function mediaCodecs(m: Media): AudioCodec[] {
  const pts = String(m.payloads ?? '')
    .split(' ')
    .filter((p) => p !== '')
    .map(Number);
  return pts.map((payload) => {
    const rtp = m.rtp.find((r) => r.payload === payload);
    const st = STATIC[payload];
    return { payload, codec: rtp?.codec ?? st?.codec ?? '', rate: rtp?.rate ?? st?.rate ?? 0 };
  });
}

function isWanted(c: AudioCodec, codecs: readonly G711[], dtmf: boolean): boolean {
  if (c.rate !== 8000) return false;
  const name = c.codec.toUpperCase();
  if (name === 'TELEPHONE-EVENT') return dtmf;
  return (codecs as readonly string[]).includes(name);
}

function keepPayloads(m: Media, keep: AudioCodec[]): void {
  const set = new Set(keep.map((c) => c.payload));
  m.payloads = keep.map((c) => c.payload).join(' ');
  m.rtp = m.rtp.filter((r) => set.has(r.payload));
  for (const c of keep) {
    if (!m.rtp.some((r) => r.payload === c.payload))
      m.rtp.push({ payload: c.payload, codec: c.codec, rate: c.rate });
  }
  m.fmtp = m.fmtp.filter((f) => set.has(f.payload));
  if (m.rtcpFb) m.rtcpFb = m.rtcpFb.filter((f) => set.has(Number(f.payload)));
}

/**
 * Restricts every audio m-line to G.711 (PCMU/PCMA) plus telephone-event/8000 (RFC 4733), the only
 * codecs the switch relays: it never transcodes. Other media lines are disabled with port 0, which
 * keeps the m-line count that RFC 3264 §6 requires of an answer.
 */
export function filterCodecs(sdp: string, codecs: readonly G711[] = ['PCMU', 'PCMA'], dtmf = true): string {
  const s = parse(sdp);
  for (const m of s.media) {
    if (m.type !== 'audio') {
      m.port = 0;
      continue;
    }
    const keep = mediaCodecs(m).filter((c) => isWanted(c, codecs, dtmf));
    if (!keep.some((c) => c.codec.toUpperCase() !== 'TELEPHONE-EVENT')) m.port = 0;
    keepPayloads(m, keep.length > 0 ? keep : mediaCodecs(m).slice(0, 1));
  }
  return write(s);
}

/** The direction of the first audio stream (media level, else session level, else sendrecv). */
export function getDirection(sdp: string | SessionDescription): Direction {
  const s = typeof sdp === 'string' ? parse(sdp) : sdp;
  const audio = s.media.find((m) => m.type === 'audio');
  return (audio?.direction ?? (s as { direction?: Direction }).direction ?? 'sendrecv') as Direction;
}

/** Sets the direction on every media line (hold: sendonly; resume: sendrecv). */
export function setDirection(sdp: string, direction: Direction): string {
  const s = parse(sdp);
  delete (s as { direction?: Direction }).direction;
  for (const m of s.media) m.direction = direction;
  return write(s);
}

/**
 * RFC 3264 §6.1: the answer's direction given the offer's and what we would like. A sendonly offer
 * (the peer holds us) is answered recvonly, recvonly with sendonly, inactive with inactive.
 */
export function answerDirection(offered: Direction, wanted: Direction = 'sendrecv'): Direction {
  const weSend = wanted === 'sendrecv' || wanted === 'sendonly';
  const weRecv = wanted === 'sendrecv' || wanted === 'recvonly';
  const theySend = offered === 'sendrecv' || offered === 'sendonly';
  const theyRecv = offered === 'sendrecv' || offered === 'recvonly';
  const send = weSend && theyRecv;
  const recv = weRecv && theySend;
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}

/** True when the SDP puts us on hold: sendonly/inactive, or the RFC 2543 c=0.0.0.0 form. */
export function isHold(sdp: string): boolean {
  const s = parse(sdp);
  const dir = getDirection(s);
  const audio = s.media.find((m) => m.type === 'audio');
  const ip = audio?.connection?.ip ?? s.connection?.ip;
  return dir === 'sendonly' || dir === 'inactive' || ip === '0.0.0.0';
}

export interface LocalMedia {
  address: string;
  port: number;
  /** In order of preference. */
  codecs?: readonly G711[];
  telephoneEvent?: boolean;
  direction?: Direction;
  sessionId?: string | number;
  sessionVersion?: number;
  ptime?: number;
}

function baseSession(local: LocalMedia): SessionDescription {
  const id = local.sessionId ?? Math.floor(Math.random() * 1e9);
  return {
    version: 0,
    origin: {
      username: '-',
      sessionId: id,
      sessionVersion: local.sessionVersion ?? 1,
      netType: 'IN',
      ipVer: local.address.includes(':') ? 6 : 4,
      address: local.address,
    },
    name: '-',
    timing: { start: 0, stop: 0 },
    connection: { version: local.address.includes(':') ? 6 : 4, ip: local.address },
    media: [],
  };
}

function audioMedia(
  local: LocalMedia,
  codecs: AudioCodec[],
  direction: Direction,
): MediaAttributes & { type: string } {
  const m = {
    type: 'audio',
    port: local.port,
    protocol: 'RTP/AVP',
    payloads: codecs.map((c) => c.payload).join(' '),
    rtp: codecs.map((c) => ({ payload: c.payload, codec: c.codec, rate: c.rate })),
    fmtp: codecs
      .filter((c) => c.codec.toLowerCase() === 'telephone-event')
      .map((c) => ({ payload: c.payload, config: '0-16' })),
    ptime: local.ptime ?? 20,
    direction,
  };
  return m as unknown as MediaAttributes & { type: string };
}

/** An offer with G.711 and telephone-event/8000 on payload 101. */
export function createOffer(local: LocalMedia): string {
  const codecs: AudioCodec[] = (local.codecs ?? ['PCMU', 'PCMA']).map((c) => ({
    payload: c === 'PCMU' ? 0 : 8,
    codec: c,
    rate: 8000,
  }));
  if (local.telephoneEvent ?? true) codecs.push({ payload: 101, codec: 'telephone-event', rate: 8000 });
  const s = baseSession(local);
  s.media.push(audioMedia(local, codecs, local.direction ?? 'sendrecv') as Media);
  return write(s);
}

export interface Answer {
  sdp: string;
  /** The codec chosen (the offerer's most preferred one we support). */
  codec: AudioCodec;
  /** The offerer's telephone-event payload type, if both sides use RFC 4733. */
  telephoneEvent?: number;
  remoteAddress: string;
  remotePort: number;
  direction: Direction;
}

/**
 * RFC 3264 §6 answer to an offer: the first audio stream gets the offerer's preferred G.711 codec
 * (with the offerer's payload numbers), telephone-event if offered; every other m-line is refused
 * with port 0. Returns undefined when nothing is acceptable (the caller answers 488).
 */
export function createAnswer(offer: string, local: LocalMedia): Answer | undefined {
  let o: SessionDescription;
  try {
    o = parse(offer);
  } catch {
    return undefined;
  }
  const allowed = local.codecs ?? ['PCMU', 'PCMA'];
  const s = baseSession(local);
  let chosen: Answer | undefined;
  for (const m of o.media) {
    const offered = mediaCodecs(m);
    const audio = m.type === 'audio' && m.port !== 0 && !chosen && /RTP\/(S)?AVP/.test(m.protocol);
    const codec = audio ? offered.find((c) => isWanted(c, allowed, false)) : undefined;
    if (!codec) {
      s.media.push({
        type: m.type,
        port: 0,
        protocol: m.protocol,
        payloads: String(m.payloads ?? ''),
        rtp: [],
        fmtp: [],
      } as Media);
      continue;
    }
    const te = local.telephoneEvent === false ? undefined : offered.find((c) => isWanted(c, [], true));
    const codecs = te ? [codec, te] : [codec];
    const direction = answerDirection((m.direction ?? getDirection(o)) as Direction, local.direction);
    s.media.push(audioMedia(local, codecs, direction) as Media);
    chosen = {
      sdp: '',
      codec,
      telephoneEvent: te?.payload,
      remoteAddress: m.connection?.ip ?? o.connection?.ip ?? '',
      remotePort: m.port,
      direction,
    };
  }
  if (!chosen) return undefined;
  chosen.sdp = write(s);
  return chosen;
}
