// Offer/answer for a plain RTP leg as pure functions of the leg's SDP identity (address, port, codec
// preference, session id and version). RtpLeg uses them; so does the media worker's proxy on the main
// thread, which answers a carrier's or desk phone's offer without waiting for the worker thread (the
// worker applies the same offer to its leg, in order, and reaches the same result).

import { type G711Law, STATIC_PT } from '../codecs/g711';
import { type AudioCodecChoice, type AudioDescription, buildAudioSdp, parseAudioSdp } from '../sdp/audio-sdp';
import { type Direction, reverseDirection } from './media-leg';

export interface RtpSdpIdentity {
  /** Address written into SDP. */
  address: string;
  port: number;
  preference: G711Law[];
  /** Payload type we offer for telephone-event. */
  offerDtmfPt: number;
  /** o= session id (RFC 4566 §5.2); the version is incremented for every SDP we emit (RFC 3264 §8). */
  sessionId: number;
}

/** What an offer or answer from the peer settles for our leg. */
export interface RtpNegotiation {
  remote: AudioDescription;
  law: G711Law;
  audioPt: number;
  dtmfPt: number | null;
  /** Our direction: the peer's, reversed. */
  direction: Direction;
}

export function rtpOffer(id: RtpSdpIdentity, version: number, direction: Direction = 'sendrecv'): string {
  const codecs = id.preference.map((law) => ({ law, pt: STATIC_PT[law] }));
  return buildAudioSdp({
    address: id.address,
    port: id.port,
    codecs,
    dtmfPt: id.offerDtmfPt,
    direction,
    sessionId: id.sessionId,
    version,
  });
}

/** Our answer to `offer` (RFC 3264 §6.1: we pick by our preference among what was offered). */
export function rtpAnswer(
  id: RtpSdpIdentity,
  version: number,
  offer: string,
): { sdp: string; negotiation: RtpNegotiation } {
  const d = parseAudioSdp(offer);
  let chosen: AudioCodecChoice | undefined;
  for (const law of id.preference) {
    chosen = d.codecs.find((c) => c.law === law);
    if (chosen) break;
  }
  if (!chosen) throw new Error('offer has no G.711 codec (PCMU/PCMA) at 8000 Hz');
  const direction = reverseDirection(d.direction);
  const sdp = buildAudioSdp({
    address: id.address,
    port: id.port,
    codecs: [chosen],
    dtmfPt: d.dtmfPt,
    direction,
    sessionId: id.sessionId,
    version,
  });
  return {
    sdp,
    negotiation: { remote: d, law: chosen.law, audioPt: chosen.pt, dtmfPt: d.dtmfPt, direction },
  };
}

/** The peer's answer to our offer. */
export function rtpAcceptAnswer(answer: string): RtpNegotiation {
  const d = parseAudioSdp(answer);
  const chosen = d.codecs[0];
  if (!chosen) throw new Error('answer has no G.711 codec');
  return {
    remote: d,
    law: chosen.law,
    audioPt: chosen.pt,
    dtmfPt: d.dtmfPt,
    direction: reverseDirection(d.direction),
  };
}
