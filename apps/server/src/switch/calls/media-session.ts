import type {
  MediaPlane,
  PlaneBridge,
  PlaneConference,
  PlaneLeg,
  PlanePlayback,
  PlaneRecording,
  RecordingResult,
} from '@switchboard/media';

/** A browser's SDP (RFC 8827: ICE + DTLS-SRTP) needs a WebRTC leg; desk phones and carriers speak RTP/AVP. */
export function isWebRtcSdp(sdp: string): boolean {
  return /UDP\/TLS\/RTP\/SAVPF|^a=fingerprint:/im.test(sdp);
}

/** A media leg able to answer `offer`. */
export function legForOffer(media: MediaPlane, offer: string): Promise<PlaneLeg> {
  return isWebRtcSdp(offer) ? media.createWebRtcLeg() : media.createRtpLeg();
}

/** A leg to offer to a contact: browsers (SIP over WebSocket) get WebRTC, the rest plain RTP. */
export function legForTransport(media: MediaPlane, transport: string): Promise<PlaneLeg> {
  return transport === 'WS' || transport === 'WSS' ? media.createWebRtcLeg() : media.createRtpLeg();
}

/**
 * The media of one call, anchored here: the legs, the bridge between two of them (or a conference
 * mix of three), ringback, hold music, mute and the recorder. Call control (consult, transfer,
 * conference) rewires it with `relink`, `park`, `ringbackTo`, `conference` and `drop`. Everything is
 * idempotent so a hang-up racing a hold or a ringback is harmless.
 */
export class MediaSession {
  bridge: PlaneBridge | null = null;
  private mixer: PlaneConference | null = null;
  private readonly ringbacks = new Map<PlaneLeg, PlanePlayback>();
  /** Hold music (or parked music) by the leg that hears it. */
  private readonly music = new Map<PlaneLeg, PlanePlayback>();
  /** Holder → the leg hearing the hold music. */
  private readonly holds = new Map<PlaneLeg, PlaneLeg>();
  private readonly mutes = new Set<PlaneLeg>();
  /** Legs whose audio the plane holds back (held or muted), restored when they speak again. */
  private readonly silenced = new Set<PlaneLeg>();
  /** Every leg that was part of this call's media (closed with it). */
  private readonly legs = new Set<PlaneLeg>();
  recorder: PlaneRecording | null = null;
  /** The recording's left channel (the customer), kept across relinks, conferences and monitoring. */
  private recordedCustomer: PlaneLeg | null = null;
  closed = false;

  constructor(
    private readonly plane: MediaPlane,
    public a: PlaneLeg,
    public b: PlaneLeg | null = null,
  ) {
    this.legs.add(a);
    if (b) this.legs.add(b);
  }

  ringback(leg: PlaneLeg): void {
    if (this.ringbacks.size > 0 || this.closed) return;
    this.ringbacks.set(leg, this.plane.ringback(leg));
  }

  stopRingback(): void {
    for (const rb of this.ringbacks.values()) rb.stop();
    this.ringbacks.clear();
  }

  /** Joins the legs (DTMF as RFC 4733 passes through both ways). */
  join(b: PlaneLeg): void {
    if (this.closed) return;
    this.stopRingback();
    // A customer parked by a transfer to a queue stops hearing the music once an agent answers.
    for (const leg of [this.a, b]) this.stopMusic(leg);
    this.legs.add(b);
    if (this.bridge && this.b === b && this.bridge.active) return;
    this.bridge?.unbridge();
    this.b = b;
    this.bridge = this.plane.bridge(this.a, b, { dtmf: 'passthrough' });
    this.applySilence(this.a);
    this.applySilence(b);
  }

  /**
   * `holder` put the call on hold: what it sends no longer reaches the other side, which hears the
   * hold music instead. The bridge stays (and the recorder on it) so resuming restores it exactly.
   */
  hold(holder: PlaneLeg): void {
    const bridge = this.bridge;
    if (this.closed || this.holds.has(holder) || !bridge?.active) return;
    if (bridge.a !== holder && bridge.b !== holder) return;
    const other = bridge.other(holder);
    this.holds.set(holder, other);
    this.applySilence(holder);
    this.playMusic(other);
  }

  resume(holder: PlaneLeg): void {
    const other = this.holds.get(holder);
    if (!other) return;
    this.holds.delete(holder);
    this.stopMusic(other);
    this.applySilence(holder);
  }

  isHeldBy(leg: PlaneLeg): boolean {
    return this.holds.has(leg);
  }

  /** A leg is on hold or parked with music: silence from it is expected, not a dead peer. */
  get onHold(): boolean {
    return this.holds.size > 0 || this.music.size > 0;
  }

  /** `leg`'s audio stops reaching anyone (no music for them); `false` lets it speak again. */
  mute(leg: PlaneLeg, muted: boolean): void {
    if (this.closed) return;
    if (muted) this.mutes.add(leg);
    else this.mutes.delete(leg);
    this.applySilence(leg);
  }

  isMuted(leg: PlaneLeg): boolean {
    return this.mutes.has(leg);
  }

  /** `x` and `y` talk to each other; whatever bridge or mix there was is dissolved. */
  relink(x: PlaneLeg, y: PlaneLeg): void {
    if (this.closed) return;
    this.dissolve();
    for (const leg of [x, y]) {
      this.legs.add(leg);
      this.stopRingbackOn(leg);
      this.stopMusic(leg);
    }
    this.a = x;
    this.b = y;
    this.bridge = this.plane.bridge(x, y, { dtmf: 'passthrough' });
    this.applySilence(x);
    this.applySilence(y);
  }

  /** `leg` waits alone with hold music (the customer while the agent consults). */
  park(leg: PlaneLeg): void {
    if (this.closed) return;
    this.detach(leg);
    this.stopRingbackOn(leg);
    this.playMusic(leg);
  }

  /** `leg` hears ringback alone (the customer while a transfer target rings, the agent while a consult rings). */
  ringbackTo(leg: PlaneLeg): void {
    if (this.closed) return;
    this.detach(leg);
    this.stopMusic(leg);
    if (!this.ringbacks.has(leg)) this.ringbacks.set(leg, this.plane.ringback(leg));
  }

  /** `leg` is taken out of any bridge or mix and hears nothing from us. */
  detach(leg: PlaneLeg): void {
    if (this.bridge && (this.bridge.a === leg || this.bridge.b === leg)) this.dissolve();
    if (this.mixer) this.mixer.remove(leg);
    this.forgetSilence(leg);
  }

  /** Three (or more) legs in one N-1 mix: each hears all the others (music and ringback stop). */
  conference(legs: PlaneLeg[]): void {
    if (this.closed) return;
    this.dissolve();
    const mixer = this.plane.conference();
    for (const leg of legs) {
      this.legs.add(leg);
      this.stopRingbackOn(leg);
      this.stopMusic(leg);
      mixer.add(leg);
      this.applySilence(leg);
    }
    this.mixer = mixer;
    this.followRecording();
  }

  get inConference(): boolean {
    return this.mixer !== null;
  }

  /** Two parties simply talking (no hold, no consult music, no conference): a mix can be made of them. */
  get canMonitor(): boolean {
    if (this.mixer) return this.monitorPair !== null;
    return !this.closed && !!this.bridge?.active && this.holds.size === 0 && this.music.size === 0;
  }

  /** The two legs a monitoring mix was made from (customer first), restored as a bridge after. */
  private monitorPair: [PlaneLeg, PlaneLeg] | null = null;
  private readonly monitors = new Set<PlaneLeg>();

  /**
   * `listener` (a supervisor's leg) hears `customer` and `agent`; who hears the listener is
   * `heardBy`: nobody (listen), the agent (whisper) or everyone (barge). The two-party bridge
   * becomes a mix while anyone monitors; calling again changes only the audience.
   */
  monitor(listener: PlaneLeg, customer: PlaneLeg, agent: PlaneLeg, heardBy: PlaneLeg[] | null): boolean {
    if (this.closed) return false;
    if (!this.mixer) {
      if (!this.canMonitor) return false;
      this.dissolve();
      const mixer = this.plane.conference();
      for (const leg of [customer, agent]) {
        mixer.add(leg);
        this.applySilence(leg);
      }
      this.mixer = mixer;
      this.monitorPair = [customer, agent];
      this.followRecording();
    }
    if (!this.monitors.has(listener)) {
      this.monitors.add(listener);
      this.legs.add(listener);
      this.mixer.add(listener);
    }
    this.mixer.setAudience(listener, heardBy);
    return true;
  }

  /** The listener leaves; the last one out gives the two parties their bridge (and recording) back. */
  unmonitor(listener: PlaneLeg): void {
    if (!this.monitors.delete(listener)) return;
    this.mixer?.remove(listener);
    this.legs.delete(listener);
    const pair = this.monitorPair;
    if (this.monitors.size > 0 || !pair || this.closed) return;
    this.monitorPair = null;
    this.relink(pair[0], pair[1]);
    this.followRecording(pair[0]);
  }

  /**
   * The recording goes on from whatever now carries the call's audio (the bridge, or the mix of a
   * conference or a monitored call), `customer` on the left channel.
   */
  followRecording(customer: PlaneLeg | null = this.recordedCustomer): void {
    if (!this.recorder || !customer || this.closed) return;
    this.recordedCustomer = customer;
    const source = this.mixer ?? this.bridge;
    if (source) this.recorder.follow(source, customer);
  }

  /** The leg is leaving the call: out of everything (the caller closes it). */
  drop(leg: PlaneLeg): void {
    this.detach(leg);
    this.stopRingbackOn(leg);
    this.stopMusic(leg);
    for (const [holder, other] of this.holds)
      if (holder === leg || other === leg) {
        this.holds.delete(holder);
        this.stopMusic(other);
      }
    this.mutes.delete(leg);
    this.legs.delete(leg);
  }

  /** Records the bridge into `name` (under the recordings directory), `customer` on the left channel. */
  async record(name: string, customer: PlaneLeg): Promise<PlaneRecording | null> {
    if (!this.bridge || this.closed) return null;
    this.recorder = await this.plane.record(this.bridge, customer, name);
    this.recordedCustomer = customer;
    if (this.closed) {
      // The call ended while the file was being opened: the header still gets finalised.
      await this.recorder.stop().catch(() => null);
    }
    return this.recorder;
  }

  /** Stops everything and closes every leg; returns the recording's outcome if there was one. */
  async close(): Promise<RecordingResult | null> {
    if (this.closed) return null;
    this.closed = true;
    this.stopRingback();
    for (const pb of this.music.values()) pb.stop();
    this.music.clear();
    let rec: RecordingResult | null = null;
    if (this.recorder) rec = await this.recorder.stop().catch(() => null);
    this.bridge?.unbridge();
    this.mixer?.close();
    this.a.close();
    this.b?.close();
    for (const leg of this.legs) leg.close();
    return rec;
  }

  private dissolve(): void {
    if (this.bridge) {
      for (const leg of [this.bridge.a, this.bridge.b]) {
        this.forgetSilence(leg);
        const other = this.holds.get(leg);
        if (other) {
          this.holds.delete(leg);
          this.stopMusic(other);
        }
      }
      this.bridge.unbridge();
      this.bridge = null;
    }
    if (this.mixer) {
      this.mixer.close();
      this.mixer = null;
      this.monitorPair = null;
      this.monitors.clear();
      for (const leg of this.silenced) this.plane.forgetSilence(leg);
      this.silenced.clear();
    }
  }

  private forgetSilence(leg: PlaneLeg): void {
    if (this.silenced.delete(leg)) this.plane.forgetSilence(leg);
  }

  private applySilence(leg: PlaneLeg): void {
    const silent = this.holds.has(leg) || this.mutes.has(leg);
    if (silent && !this.silenced.has(leg)) {
      this.silenced.add(leg);
      this.plane.silence(leg, true);
    } else if (!silent && this.silenced.has(leg)) {
      this.silenced.delete(leg);
      this.plane.silence(leg, false);
    }
  }

  private playMusic(leg: PlaneLeg): void {
    if (this.music.has(leg)) return;
    this.music.set(leg, this.plane.play(leg, 'hold-music', { loop: true }));
  }

  private stopMusic(leg: PlaneLeg): void {
    this.music.get(leg)?.stop();
    this.music.delete(leg);
  }

  private stopRingbackOn(leg: PlaneLeg): void {
    this.ringbacks.get(leg)?.stop();
    this.ringbacks.delete(leg);
  }
}
