// Three-way (n-way) conference: every participant hears the sum of the others, never itself (an
// "N-1" mix, otherwise each talker hears their own echo delayed by the round trip). One tick of the shared
// clock decodes one frame per participant, sums once, subtracts each participant's own frame, encodes.
// A participant may be heard by only some of the others (a supervisor listening or whispering): the
// public sum is made once, and each listener adds the restricted voices meant for them.

import type { BridgeTap } from '../bridge';
import { ALAW_DECODE, encode, type G711Law, ULAW_DECODE } from '../codecs/g711';
import type { MediaLeg } from '../legs/media-leg';
import { type MediaClock, sharedClock } from '../player/media-clock';
import type { RtpHeaderView } from '../rtp/rtp-packet';

const FRAME = 160;
const MAX_QUEUED_FRAMES = 6;

class Participant {
  /** Decoded frames waiting for the next tick (jitter absorption, bounded). */
  readonly queue: Int16Array[] = [];
  readonly current = new Int16Array(FRAME);
  hasCurrent = false;
  readonly mix = new Int16Array(FRAME);
  readonly out = Buffer.alloc(FRAME);
  primed = false;
  /** Who hears this participant: everyone (null), or only these legs (empty: nobody). */
  heardBy: Set<MediaLeg> | null = null;
  constructor(readonly leg: MediaLeg) {}
}

export class ConferenceMixer {
  private readonly participants = new Map<MediaLeg, Participant>();
  private readonly sum = new Int32Array(FRAME);
  private readonly mix32 = new Int32Array(FRAME);
  private off: (() => void) | null = null;
  private readonly clock: MediaClock;
  private readonly taps = new Set<BridgeTap>();

  constructor(opts: { clock?: MediaClock } = {}) {
    this.clock = opts.clock ?? sharedClock;
  }

  get size(): number {
    return this.participants.size;
  }

  add(leg: MediaLeg): void {
    if (this.participants.has(leg)) return;
    const p = new Participant(leg);
    this.participants.set(leg, p);
    leg.audioSink = this.onAudio;
    // Digits are still detected per leg; they are not forwarded into the conference.
    leg.dtmfSink = null;
    if (!this.off) this.off = this.clock.subscribe(this.onTick);
  }

  /** Who hears `leg` from now on: everyone (null) or only `heardBy` (empty: nobody, a silent listener). */
  setAudience(leg: MediaLeg, heardBy: MediaLeg[] | null): void {
    const p = this.participants.get(leg);
    if (p) p.heardBy = heardBy === null ? null : new Set(heardBy);
  }

  /**
   * Observes what each participant heard by everyone sends, before mixing (the recorder): a silent
   * listener or a whisper reaches no tap, as it reaches neither side of the conversation.
   */
  addTap(tap: BridgeTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  remove(leg: MediaLeg): void {
    if (!this.participants.delete(leg)) return;
    if (leg.audioSink === this.onAudio) leg.audioSink = null;
    if (this.participants.size === 0) this.close();
  }

  close(): void {
    for (const leg of this.participants.keys()) if (leg.audioSink === this.onAudio) leg.audioSink = null;
    this.participants.clear();
    this.taps.clear();
    this.off?.();
    this.off = null;
  }

  private readonly onAudio = (from: MediaLeg, buf: Buffer, h: RtpHeaderView, law: G711Law): void => {
    const p = this.participants.get(from);
    if (!p) return;
    if (this.taps.size > 0 && p.heardBy === null) {
      const payload = buf.subarray(h.payloadOffset, h.payloadEnd);
      for (const tap of this.taps) tap(from, payload, law);
    }
    const table = law === 'PCMU' ? ULAW_DECODE : ALAW_DECODE;
    for (let o = h.payloadOffset; o + FRAME <= h.payloadEnd; o += FRAME) {
      const frame = p.queue.length >= MAX_QUEUED_FRAMES ? p.queue.shift()! : new Int16Array(FRAME);
      for (let i = 0; i < FRAME; i++) frame[i] = table[buf[o + i]!]!;
      p.queue.push(frame);
    }
  };

  private readonly onTick = (): void => {
    const sum = this.sum;
    const mix32 = this.mix32;
    sum.fill(0);
    for (const p of this.participants.values()) {
      if (!p.primed && p.queue.length >= 2) p.primed = true;
      const f = p.primed ? p.queue.shift() : undefined;
      if (!f) {
        p.primed = false;
        p.hasCurrent = false;
        continue;
      }
      p.current.set(f);
      p.hasCurrent = true;
      if (p.heardBy === null) for (let i = 0; i < FRAME; i++) sum[i]! += f[i]!;
    }
    for (const p of this.participants.values()) {
      const mix = p.mix;
      const ownPublic = p.hasCurrent && p.heardBy === null;
      for (let i = 0; i < FRAME; i++) mix32[i] = sum[i]! - (ownPublic ? p.current[i]! : 0);
      for (const q of this.participants.values())
        if (q !== p && q.hasCurrent && q.heardBy?.has(p.leg))
          for (let i = 0; i < FRAME; i++) mix32[i]! += q.current[i]!;
      for (let i = 0; i < FRAME; i++) {
        const v = mix32[i]!;
        mix[i] = Math.min(32767, Math.max(v, -32768));
      }
      // A fresh buffer per send: the leg may hand it to an async socket send.
      p.leg.sendFrame(Buffer.from(encode(p.leg.law, mix, p.out)), FRAME);
    }
  };
}
