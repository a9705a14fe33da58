import type { IceServerOptions } from '../legs/webrtc-leg';
// The media plane in the caller's own thread: the objects the switch holds are the real legs,
// bridges and mixers. Used inside the media worker, by tests, and by a switch run with
// MEDIA_WORKER=false.

import { Bridge } from '../bridge';
import { MediaLeg } from '../legs/media-leg';
import type { RtpLeg } from '../legs/rtp-leg';
import { MediaEngine, type MediaEngineOptions } from '../media-engine';
import { ConferenceMixer } from '../mixer/conference-mixer';
import { playRingback } from '../player/ringback';
import { LegSilencer } from './leg-silencer';
import type {
  MediaPlane,
  PlaneBridge,
  PlaneConference,
  PlaneLeg,
  PlanePlayback,
  PlaneRecording,
} from './media-plane';

function local(leg: PlaneLeg): MediaLeg {
  if (!(leg instanceof MediaLeg)) throw new Error(`leg ${leg.id} does not belong to this media plane`);
  return leg;
}

function localBridge(bridge: PlaneBridge): Bridge {
  if (!(bridge instanceof Bridge)) throw new Error('bridge does not belong to this media plane');
  return bridge;
}

/** The mixers behind this plane's conferences, for a recording that follows one. */
const mixers = new WeakMap<PlaneConference, ConferenceMixer>();

function localSource(source: PlaneBridge | PlaneConference): Bridge | ConferenceMixer {
  if (source instanceof Bridge) return source;
  const mixer = mixers.get(source as PlaneConference);
  if (!mixer) throw new Error('bridge or conference does not belong to this media plane');
  return mixer;
}

export class LocalMediaPlane implements MediaPlane {
  readonly engine: MediaEngine;
  private readonly silencer = new LegSilencer();

  constructor(options: MediaEngineOptions | MediaEngine) {
    this.engine = options instanceof MediaEngine ? options : new MediaEngine(options);
  }

  get repaired(): string[] {
    return this.engine.repaired;
  }

  private readonly open = new Set<MediaLeg>();

  get openLegs(): number {
    return this.open.size;
  }

  private track<L extends MediaLeg>(leg: L): L {
    this.open.add(leg);
    leg.once('closed', () => this.open.delete(leg));
    return leg;
  }

  async createRtpLeg(id?: string, sessionId?: number): Promise<RtpLeg> {
    return this.track(await this.engine.createRtpLeg(id, sessionId));
  }

  async createWebRtcLeg(id?: string): Promise<MediaLeg> {
    return this.track(await this.engine.createWebRtcLeg(id));
  }

  bridge(a: PlaneLeg, b: PlaneLeg, opts: { dtmf?: 'passthrough' | 'intercept' } = {}): Bridge {
    return new Bridge(local(a), local(b), opts);
  }

  setIceServers(servers: IceServerOptions[]): void {
    this.engine.setIceServers(servers);
  }

  silence(leg: PlaneLeg, silent: boolean): void {
    this.silencer.set(local(leg), silent);
  }

  forgetSilence(leg: PlaneLeg): void {
    this.silencer.forget(local(leg));
  }

  play(leg: PlaneLeg, names: string | string[], opts: { loop?: boolean } = {}): PlanePlayback {
    return this.engine.player.play(local(leg), names, opts);
  }

  stopPlayback(leg: PlaneLeg): void {
    this.engine.player.stopLeg(local(leg));
  }

  ringback(leg: PlaneLeg): PlanePlayback {
    let stopped!: () => void;
    const done = new Promise<'stopped'>((resolve) => {
      stopped = () => resolve('stopped');
    });
    const off = playRingback(local(leg));
    return {
      done,
      stop: () => {
        off();
        stopped();
      },
    };
  }

  conference(): PlaneConference {
    const mixer = new ConferenceMixer();
    const conference: PlaneConference = {
      add: (leg) => mixer.add(local(leg)),
      setAudience: (leg, heardBy) => mixer.setAudience(local(leg), heardBy?.map(local) ?? null),
      remove: (leg) => mixer.remove(local(leg)),
      close: () => mixer.close(),
    };
    mixers.set(conference, mixer);
    return conference;
  }

  async record(bridge: PlaneBridge, customer: PlaneLeg, name: string): Promise<PlaneRecording> {
    const recorder = this.engine.recorder(name);
    await recorder.start(localBridge(bridge), local(customer));
    return {
      file: recorder.file,
      follow: (source, c) => recorder.follow(localSource(source), local(c)),
      stop: () => recorder.stop(),
    };
  }

  /**
   * Makes and drops one WebRTC leg, so the first browser call does not pay for loading and compiling
   * the WebRTC stack (≈ 50 ms here, against ≈ 3 ms for the next ones).
   */
  async warmUp(): Promise<void> {
    const leg = await this.createWebRtcLeg();
    try {
      await leg.createOffer();
    } catch {
      // best effort: a real call reports its own failure
    } finally {
      leg.close();
    }
  }

  async close(): Promise<void> {}
}
