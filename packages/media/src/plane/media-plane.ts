// What the switch asks of the media plane, whether it runs in the switch's own thread
// (LocalMediaPlane) or in a worker thread (MediaWorker). Every command that returns nothing takes
// effect in order with the others, so call logic reads the same either way; only SDP, quality and
// recordings are awaited.

import type { EventEmitter } from 'node:events';
import type { CallQuality, MediaLegEvents } from '../legs/media-leg';
import type { IceServerOptions } from '../legs/webrtc-leg';
import type { PlaybackEnd } from '../player/prompt-player';

/** A media leg as the switch holds it: a WebRTC or plain RTP leg, here or in the worker. */
export interface PlaneLeg extends EventEmitter<MediaLegEvents> {
  readonly id: string;
  readonly kind: 'rtp' | 'webrtc';
  /** True once we closed it or it closed itself (ICE failure); `closed` is emitted either way. */
  readonly closed: boolean;
  createOffer(): Promise<string>;
  acceptOffer(sdp: string): Promise<string>;
  acceptAnswer(sdp: string): Promise<void>;
  /** One RFC 4733 event toward the peer; resolves when its end packets are sent. */
  sendDigit(digit: string, durationMs?: number): Promise<void>;
  quality(): CallQuality | Promise<CallQuality>;
  close(): void;
}

export interface PlaneBridge {
  readonly a: PlaneLeg;
  readonly b: PlaneLeg;
  readonly active: boolean;
  other(leg: PlaneLeg): PlaneLeg;
  unbridge(): void;
}

export interface PlanePlayback {
  readonly done: Promise<PlaybackEnd>;
  stop(): void;
}

export interface PlaneConference {
  add(leg: PlaneLeg): void;
  /** Who hears `leg`: everyone (null, the default) or only `heardBy` (empty: a silent listener). */
  setAudience(leg: PlaneLeg, heardBy: PlaneLeg[] | null): void;
  remove(leg: PlaneLeg): void;
  close(): void;
}

/**
 * A stopped recording: the audio its file holds. `truncated` when the disk refused a write (full,
 * failing): the file then holds the call up to that point, and its header says so.
 */
export interface RecordingResult {
  file: string;
  durationMs: number;
  truncated: boolean;
}

export interface PlaneRecording {
  readonly file: string;
  /**
   * The call's legs were paired anew or mixed: keep recording `source` (a bridge, or a conference
   * mix) into the same file, `customer` left and every other voice right.
   */
  follow(source: PlaneBridge | PlaneConference, customer: PlaneLeg): void;
  stop(): Promise<RecordingResult>;
}

export interface MediaPlane {
  /** Recordings the start-up repair fixed (left by a crash). */
  readonly repaired: string[];
  /** Legs handed out and not yet closed (spares kept ready are not counted): a leak shows here. */
  readonly openLegs: number;
  createRtpLeg(): Promise<PlaneLeg>;
  createWebRtcLeg(): Promise<PlaneLeg>;
  /** STUN/TURN servers for the WebRTC legs created from now on (renewed short-lived TURN credentials). */
  setIceServers(servers: IceServerOptions[]): void;
  /** Two legs joined, DTMF passed through as RFC 4733 both ways unless intercepted. */
  bridge(a: PlaneLeg, b: PlaneLeg, opts?: { dtmf?: 'passthrough' | 'intercept' }): PlaneBridge;
  /** What `leg` sends stops (or starts again) reaching whatever it is joined to (hold, mute). */
  silence(leg: PlaneLeg, silent: boolean): void;
  /** `leg` left its bridge or mix: a later `silence(leg, false)` has nothing to restore. */
  forgetSilence(leg: PlaneLeg): void;
  /** Prompts in sequence (or looped, for music) to `leg`, paced by the shared 20 ms clock. */
  play(leg: PlaneLeg, names: string | string[], opts?: { loop?: boolean }): PlanePlayback;
  /** Stops whatever prompts `leg` hears. */
  stopPlayback(leg: PlaneLeg): void;
  /** Ringback tone to `leg` (RFC 3960 §2.1, we generate it for a caller without early media). */
  ringback(leg: PlaneLeg): PlanePlayback;
  conference(): PlaneConference;
  /** Starts a stereo recording of `bridge` into `name` under the recordings directory. */
  record(bridge: PlaneBridge, customer: PlaneLeg, name: string): Promise<PlaneRecording>;
  close(): Promise<void>;
}
