// One object the switch configures once (addresses, port range, prompt and recording directories) and
// asks for legs, players and recorders. Everything it hands out is also usable on its own.

import path from 'node:path';
import type { G711Law } from './codecs/g711';
import { RtpLeg } from './legs/rtp-leg';
import { type IceServerOptions, WebRtcLeg } from './legs/webrtc-leg';
import { PromptPlayer } from './player/prompt-player';
import { PortPool } from './port-pool';
import { repairRecordings, WavRecorder } from './recorder/wav-recorder';

export interface MediaEngineOptions {
  /** Address media sockets bind to (e.g. 0.0.0.0 or one interface). */
  bindAddress: string;
  /** Address written into SDP and ICE candidates (SIP_PUBLIC_ADDRESS); defaults to bindAddress. */
  publicAddress?: string;
  /** RTP_PORT_MIN..RTP_PORT_MAX. The lower half serves RTP legs, the upper half WebRTC ICE sockets. */
  portMin: number;
  portMax: number;
  /** RECORDINGS_DIR; repaired at construction. */
  recordingsDir?: string;
  promptDir?: string;
  codecs?: G711Law[];
  inactivityTimeoutMs?: number;
  /** STUN/TURN servers for the WebRTC legs' ICE; none by default. */
  iceServers?: IceServerOptions[];
}

export class MediaEngine {
  readonly pool: PortPool;
  readonly player: PromptPlayer;
  readonly publicAddress: string;
  /** Files fixed by the start-up repair (recordings interrupted by a crash). */
  readonly repaired: string[];
  private readonly icePortRange: [number, number];
  private iceServers: IceServerOptions[] | undefined;

  constructor(private readonly opts: MediaEngineOptions) {
    if (opts.portMax - opts.portMin < 7)
      throw new Error(`RTP port range ${opts.portMin}-${opts.portMax} is too small`);
    // Separate halves: the pool binds exact ports, werift picks ports in its range; sharing one range
    // would only cost retries, but separate halves make port usage readable in a packet capture.
    const mid = opts.portMin + Math.floor((opts.portMax - opts.portMin) / 2);
    this.pool = new PortPool({ min: opts.portMin, max: mid });
    this.icePortRange = [mid + 1, opts.portMax];
    this.publicAddress = opts.publicAddress ?? opts.bindAddress;
    this.player = new PromptPlayer({ dir: opts.promptDir });
    this.repaired = opts.recordingsDir ? repairRecordings(opts.recordingsDir) : [];
    this.iceServers = opts.iceServers;
  }

  /** STUN/TURN servers for the WebRTC legs created from now on (renewed short-lived TURN credentials). */
  setIceServers(servers: IceServerOptions[]): void {
    this.iceServers = servers;
  }

  createRtpLeg(id?: string, sessionId?: number): Promise<RtpLeg> {
    return RtpLeg.create({
      id,
      sessionId,
      pool: this.pool,
      bindAddress: this.opts.bindAddress,
      publicAddress: this.publicAddress,
      codecs: this.opts.codecs,
      inactivityTimeoutMs: this.opts.inactivityTimeoutMs,
    });
  }

  createWebRtcLeg(id?: string): WebRtcLeg {
    return new WebRtcLeg({
      id,
      publicAddress: this.publicAddress,
      bindAddress: this.opts.bindAddress === '0.0.0.0' ? undefined : this.opts.bindAddress,
      portRange: this.icePortRange,
      codecs: this.opts.codecs,
      inactivityTimeoutMs: this.opts.inactivityTimeoutMs,
      iceServers: this.iceServers,
    });
  }

  /** A recorder writing to `name` inside the recordings directory. */
  recorder(name: string): WavRecorder {
    if (!this.opts.recordingsDir) throw new Error('no recordings directory configured');
    const file = path.resolve(this.opts.recordingsDir, name);
    if (!file.startsWith(path.resolve(this.opts.recordingsDir) + path.sep))
      throw new Error(`bad recording name ${name}`);
    return new WavRecorder(file);
  }
}
