import type { Bridge as BridgeType, MediaEngine, MediaLeg, Playback, WavRecorder } from '@switchboard/media';
import { Bridge } from '@switchboard/media';
import { playRingback } from './ringback';

/** A browser's SDP (RFC 8827: ICE + DTLS-SRTP) needs a WebRTC leg; desk phones and carriers speak RTP/AVP. */
export function isWebRtcSdp(sdp: string): boolean {
  return /UDP\/TLS\/RTP\/SAVPF|^a=fingerprint:/im.test(sdp);
}

/** A media leg able to answer `offer`. */
export async function legForOffer(engine: MediaEngine, offer: string): Promise<MediaLeg> {
  return isWebRtcSdp(offer) ? engine.createWebRtcLeg() : await engine.createRtpLeg();
}

/** A leg to offer to a contact: browsers (SIP over WebSocket) get WebRTC, the rest plain RTP. */
export async function legForTransport(engine: MediaEngine, transport: string): Promise<MediaLeg> {
  return transport === 'WS' || transport === 'WSS' ? engine.createWebRtcLeg() : await engine.createRtpLeg();
}

/**
 * The media of one call, anchored here: two legs, the bridge between them, ringback, hold music and
 * the recorder. Everything is idempotent so a hang-up racing a hold or a ringback is harmless.
 */
export class MediaSession {
  bridge: BridgeType | null = null;
  private ringbackOff: (() => void) | null = null;
  private holdMusic = new Map<MediaLeg, Playback>();
  private savedSinks = new Map<MediaLeg, MediaLeg['audioSink']>();
  recorder: WavRecorder | null = null;
  closed = false;

  constructor(
    private readonly engine: MediaEngine,
    readonly a: MediaLeg,
    public b: MediaLeg | null = null,
  ) {}

  ringback(leg: MediaLeg): void {
    if (this.ringbackOff || this.closed) return;
    this.ringbackOff = playRingback(leg);
  }

  stopRingback(): void {
    this.ringbackOff?.();
    this.ringbackOff = null;
  }

  /** Joins the legs (DTMF as RFC 4733 passes through both ways). */
  join(b: MediaLeg): void {
    if (this.closed) return;
    this.stopRingback();
    if (this.bridge && this.b === b) return;
    this.bridge?.unbridge();
    this.b = b;
    this.bridge = new Bridge(this.a, b, { dtmf: 'passthrough' });
  }

  /**
   * `holder` put the call on hold: what it sends no longer reaches the other side, which hears the
   * hold music instead. The bridge stays (and the recorder on it) so resuming restores it exactly.
   */
  hold(holder: MediaLeg): void {
    if (this.closed || this.savedSinks.has(holder) || !this.bridge) return;
    const other = this.bridge.other(holder);
    this.savedSinks.set(holder, holder.audioSink);
    holder.audioSink = null;
    this.holdMusic.set(other, this.engine.player.play(other, 'hold-music', { loop: true }));
  }

  resume(holder: MediaLeg): void {
    if (!this.savedSinks.has(holder) || !this.bridge) return;
    const other = this.bridge.other(holder);
    this.holdMusic.get(other)?.stop();
    this.holdMusic.delete(other);
    holder.audioSink = this.savedSinks.get(holder) ?? null;
    this.savedSinks.delete(holder);
  }

  isHeldBy(leg: MediaLeg): boolean {
    return this.savedSinks.has(leg);
  }

  get onHold(): boolean {
    return this.savedSinks.size > 0;
  }

  async record(recorder: WavRecorder, customer: MediaLeg): Promise<void> {
    if (!this.bridge || this.closed) return;
    this.recorder = recorder;
    await recorder.start(this.bridge, customer);
  }

  /** Stops everything and closes both legs; returns the recording's outcome if there was one. */
  async close(): Promise<{ file: string; durationMs: number } | null> {
    if (this.closed) return null;
    this.closed = true;
    this.stopRingback();
    for (const pb of this.holdMusic.values()) pb.stop();
    this.holdMusic.clear();
    let rec: { file: string; durationMs: number } | null = null;
    if (this.recorder) rec = await this.recorder.stop().catch(() => null);
    this.bridge?.unbridge();
    this.a.close();
    this.b?.close();
    return rec;
  }
}
