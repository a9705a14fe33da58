// Just enough SDP (RFC 4566 / RFC 3264 offer-answer) for one audio m-line of G.711 + telephone-event.
// The SIP package owns general SDP; the media plane only needs to read and write its own stream.

import type { G711Law } from '../codecs/g711';
import type { Direction } from '../legs/media-leg';

export interface AudioCodecChoice {
  law: G711Law;
  pt: number;
}

export interface AudioDescription {
  address: string;
  port: number;
  rtcpPort: number | null;
  rtcpMux: boolean;
  codecs: AudioCodecChoice[];
  dtmfPt: number | null;
  direction: Direction;
  /** RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF … */
  proto: string;
}

const DIRECTIONS: Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

/** Parse the first audio m-line. Throws with a clear message on SDP we cannot use. */
export function parseAudioSdp(sdp: string): AudioDescription {
  const lines = sdp.split(/\r?\n/);
  let sessionAddr = '';
  let sessionDir: Direction | null = null;
  let inAudio = false;
  let seenAudio = false;
  let mediaAddr = '';
  let port = 0;
  let proto = '';
  let pts: number[] = [];
  const rtpmap = new Map<number, { name: string; rate: number }>();
  let dir: Direction | null = null;
  let rtcpPort: number | null = null;
  let rtcpMux = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      if (seenAudio) break;
      inAudio = line.startsWith('m=audio ');
      if (inAudio) {
        seenAudio = true;
        const parts = line.slice(2).split(/\s+/);
        port = Number(parts[1]);
        proto = parts[2] ?? '';
        pts = parts.slice(3).map(Number).filter(Number.isInteger);
      }
      continue;
    }
    if (line.startsWith('c=')) {
      const addr = line.split(/\s+/)[2] ?? '';
      if (inAudio) mediaAddr = addr;
      else if (!seenAudio) sessionAddr = addr;
      continue;
    }
    if (!line.startsWith('a=')) continue;
    const attr = line.slice(2);
    if ((DIRECTIONS as string[]).includes(attr)) {
      if (inAudio) dir = attr as Direction;
      else if (!seenAudio) sessionDir = attr as Direction;
      continue;
    }
    if (!inAudio) continue;
    const m = /^rtpmap:(\d+)\s+([^/\s]+)\/(\d+)/.exec(attr);
    if (m) rtpmap.set(Number(m[1]), { name: m[2]!.toLowerCase(), rate: Number(m[3]) });
    else if (attr.startsWith('rtcp:')) rtcpPort = Number(attr.slice(5).split(/\s+/)[0]);
    else if (attr === 'rtcp-mux') rtcpMux = true;
  }
  if (!seenAudio) throw new Error('SDP has no audio stream');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('SDP audio port is invalid');
  const codecs: AudioCodecChoice[] = [];
  let dtmfPt: number | null = null;
  for (const pt of pts) {
    const map = rtpmap.get(pt);
    const name = map?.name ?? (pt === 0 ? 'pcmu' : pt === 8 ? 'pcma' : '');
    const rate = map?.rate ?? 8000;
    if (rate !== 8000) continue;
    if (name === 'pcmu') codecs.push({ law: 'PCMU', pt });
    else if (name === 'pcma') codecs.push({ law: 'PCMA', pt });
    // Only telephone-event/8000 matches G.711's clock; a /48000 event stream would be mistimed (RFC 4733 §2.1).
    else if (name === 'telephone-event' && dtmfPt === null) dtmfPt = pt;
  }
  const address = mediaAddr || sessionAddr;
  let direction = dir ?? sessionDir ?? 'sendrecv';
  // RFC 3264 §8.4: the old hold convention is c=0.0.0.0.
  if (address === '0.0.0.0' && direction === 'sendrecv') direction = 'sendonly';
  return { address, port, rtcpPort, rtcpMux, codecs, dtmfPt, direction, proto };
}

export interface BuildAudioSdpOptions {
  address: string;
  port: number;
  codecs: AudioCodecChoice[];
  dtmfPt: number | null;
  direction: Direction;
  sessionId: number;
  version: number;
}

export function buildAudioSdp(o: BuildAudioSdpOptions): string {
  const ip = o.address.includes(':') ? 'IP6' : 'IP4';
  const pts = o.codecs.map((c) => c.pt);
  if (o.dtmfPt !== null) pts.push(o.dtmfPt);
  const lines = [
    'v=0',
    `o=switchboard ${o.sessionId} ${o.version} IN ${ip} ${o.address}`,
    's=switchboard',
    `c=IN ${ip} ${o.address}`,
    't=0 0',
    `m=audio ${o.port} RTP/AVP ${pts.join(' ')}`,
  ];
  for (const c of o.codecs) lines.push(`a=rtpmap:${c.pt} ${c.law}/8000`);
  if (o.dtmfPt !== null) lines.push(`a=rtpmap:${o.dtmfPt} telephone-event/8000`, `a=fmtp:${o.dtmfPt} 0-16`);
  lines.push('a=ptime:20', `a=${o.direction}`);
  return `${lines.join('\r\n')}\r\n`;
}
