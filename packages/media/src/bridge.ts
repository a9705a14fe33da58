// Two legs joined: each inbound packet is handed to the other leg, which rewrites the header in place and
// sends it. No decode, no copy, no queue — the per-packet cost is a header parse, four header writes and a
// send (plus a 160-byte table lookup when the laws differ).

import type { G711Law } from './codecs/g711';
import type { MediaLeg } from './legs/media-leg';
import type { RtpHeaderView } from './rtp/rtp-packet';

export type DtmfMode = 'passthrough' | 'intercept';

/** Observes audio crossing the bridge before it is forwarded (recorder). `from` is the leg that sent it. */
export type BridgeTap = (from: MediaLeg, payload: Buffer, law: G711Law) => void;

/** Something whose audio can be observed as it passes: a bridge or a conference mix. */
export interface AudioTapSource {
  addTap(tap: BridgeTap): () => void;
}

export interface BridgeOptions {
  /**
   * passthrough: telephone-events are forwarded to the other leg (and still reported as digits);
   * intercept: digits are consumed here (IVR, #11 during a callback) and the other side hears nothing.
   */
  dtmf?: DtmfMode;
}

export class Bridge {
  readonly a: MediaLeg;
  readonly b: MediaLeg;
  dtmf: DtmfMode;
  private readonly taps = new Set<BridgeTap>();
  private joined = true;

  constructor(a: MediaLeg, b: MediaLeg, opts: BridgeOptions = {}) {
    if (a === b) throw new Error('cannot bridge a leg to itself');
    this.a = a;
    this.b = b;
    this.dtmf = opts.dtmf ?? 'passthrough';
    a.audioSink = this.onAudio;
    b.audioSink = this.onAudio;
    a.dtmfSink = this.onDtmf;
    b.dtmfSink = this.onDtmf;
  }

  get active(): boolean {
    return this.joined;
  }

  other(leg: MediaLeg): MediaLeg {
    return leg === this.a ? this.b : this.a;
  }

  addTap(tap: BridgeTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  private readonly onAudio = (
    from: MediaLeg,
    buf: Buffer,
    h: RtpHeaderView,
    law: G711Law,
    packet: boolean,
  ): void => {
    if (this.taps.size > 0) {
      const payload = buf.subarray(h.payloadOffset, h.payloadEnd);
      for (const tap of this.taps) tap(from, payload, law);
    }
    (from === this.a ? this.b : this.a).forwardAudio(buf, h, law, packet);
  };

  private readonly onDtmf = (from: MediaLeg, buf: Buffer, h: RtpHeaderView): void => {
    if (this.dtmf === 'passthrough') (from === this.a ? this.b : this.a).forwardDtmf(buf, h);
  };

  /** Separate the legs (hold, transfer); each leg stays open. */
  unbridge(): void {
    if (!this.joined) return;
    this.joined = false;
    for (const leg of [this.a, this.b]) {
      if (leg.audioSink === this.onAudio) leg.audioSink = null;
      if (leg.dtmfSink === this.onDtmf) leg.dtmfSink = null;
    }
    this.taps.clear();
  }
}
