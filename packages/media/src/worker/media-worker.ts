// The media plane in a worker thread, driven from the main thread. SIP and HTTP keep their event loop:
// packet handling, SRTP and the 20 ms clock never run on it. Legs, bridges, playbacks, recorders and
// conferences live in the worker; the main thread holds proxies addressed by id.

import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { CollectOptions } from '../dtmf/digit-stream';
import type { CallQuality, MediaLegEvents } from '../legs/media-leg';
import type { MediaEngineOptions } from '../media-engine';
import type { PlaybackEnd } from '../player/prompt-player';
import type { Reply, Request, WorkerEvent } from './protocol';

let nextId = 1;
const newId = (prefix: string) => `${prefix}-${nextId++}`;

export class RemoteLeg extends EventEmitter<MediaLegEvents> {
  constructor(
    private readonly host: MediaWorker,
    readonly id: string,
    readonly kind: 'rtp' | 'webrtc',
  ) {
    super();
  }

  createOffer(): Promise<string> {
    return this.host.request({ op: 'leg', id: this.id, method: 'createOffer' }) as Promise<string>;
  }

  acceptOffer(sdp: string): Promise<string> {
    return this.host.request({ op: 'leg', id: this.id, method: 'acceptOffer', arg: sdp }) as Promise<string>;
  }

  async acceptAnswer(sdp: string): Promise<void> {
    await this.host.request({ op: 'leg', id: this.id, method: 'acceptAnswer', arg: sdp });
  }

  /** WebRTC: resolves when ICE and DTLS are up. */
  async connected(): Promise<void> {
    await this.host.request({ op: 'leg', id: this.id, method: 'connected' });
  }

  quality(): Promise<CallQuality> {
    return this.host.request({ op: 'leg', id: this.id, method: 'quality' }) as Promise<CallQuality>;
  }

  async sendDigits(digits: string, durationMs?: number): Promise<void> {
    await this.host.request({ op: 'send-digits', id: this.id, digits, durationMs });
  }

  collect(options: Omit<CollectOptions, 'signal'>): Promise<string> {
    return this.host.request({ op: 'collect', id: this.id, options }) as Promise<string>;
  }

  onDigit(listener: (digit: string) => void): () => void {
    this.on('digit', listener);
    return () => this.off('digit', listener);
  }

  async close(): Promise<void> {
    await this.host.request({ op: 'leg', id: this.id, method: 'close' });
  }
}

export interface RemotePlayback {
  readonly id: string;
  readonly done: Promise<PlaybackEnd>;
  stop(): Promise<void>;
}

export class MediaWorker {
  private readonly worker: Worker;
  private seq = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly legs = new Map<string, RemoteLeg>();
  private readonly playbacks = new Map<string, (end: PlaybackEnd) => void>();
  /** Recordings the start-up repair fixed. */
  repaired: string[] = [];

  private constructor() {
    // Node 20 workers do not inherit tsx's loader: register it inside the worker, then load the entry.
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./media-worker-entry.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    this.worker = new Worker(boot, { eval: true });
    this.worker.on('message', (msg: { reply?: Reply; event?: WorkerEvent }) => {
      if (msg.reply) {
        const p = this.pending.get(msg.reply.seq);
        this.pending.delete(msg.reply.seq);
        if (msg.reply.ok) p?.resolve(msg.reply.result);
        else p?.reject(new Error(msg.reply.error));
      } else if (msg.event) {
        this.onEvent(msg.event);
      }
    });
    this.worker.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  static async start(options: MediaEngineOptions): Promise<MediaWorker> {
    const w = new MediaWorker();
    w.repaired = (await w.request({ op: 'init', options })) as string[];
    return w;
  }

  request(req: Request): Promise<unknown> {
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ seq, req });
    });
  }

  private onEvent(e: WorkerEvent): void {
    if (e.event === 'played') {
      this.playbacks.get(e.id)?.(e.end);
      this.playbacks.delete(e.id);
      return;
    }
    const leg = this.legs.get(e.id);
    if (!leg) return;
    if (e.event === 'digit') leg.emit('digit', e.digit);
    else if (e.event === 'inactive') leg.emit('inactive', e.silentMs);
    else if (e.event === 'connected') leg.emit('connected');
    else if (e.event === 'closed') {
      this.legs.delete(e.id);
      leg.emit('closed');
    }
  }

  async createRtpLeg(): Promise<RemoteLeg> {
    const id = newId('rtp');
    const leg = new RemoteLeg(this, id, 'rtp');
    this.legs.set(id, leg);
    await this.request({ op: 'rtp-leg', id });
    return leg;
  }

  async createWebRtcLeg(): Promise<RemoteLeg> {
    const id = newId('webrtc');
    const leg = new RemoteLeg(this, id, 'webrtc');
    this.legs.set(id, leg);
    await this.request({ op: 'webrtc-leg', id });
    return leg;
  }

  /** Bridge two legs; resolves with an unbridge function. */
  async bridge(
    a: RemoteLeg,
    b: RemoteLeg,
    dtmf: 'passthrough' | 'intercept' = 'passthrough',
  ): Promise<{ id: string; unbridge(): Promise<void> }> {
    const id = newId('bridge');
    await this.request({ op: 'bridge', id, a: a.id, b: b.id, dtmf });
    return { id, unbridge: async () => void (await this.request({ op: 'unbridge', id })) };
  }

  async play(
    leg: RemoteLeg,
    names: string | string[],
    opts: { loop?: boolean } = {},
  ): Promise<RemotePlayback> {
    const id = newId('play');
    const done = new Promise<PlaybackEnd>((resolve) => this.playbacks.set(id, resolve));
    await this.request({
      op: 'play',
      id,
      leg: leg.id,
      names: Array.isArray(names) ? names : [names],
      loop: opts.loop,
    });
    return { id, done, stop: async () => void (await this.request({ op: 'stop-play', id })) };
  }

  /** Record a bridge into `name` (relative to the recordings directory); `customer` goes left. */
  async record(
    bridge: { id: string },
    customer: RemoteLeg,
    name: string,
  ): Promise<{ file: string; stop(): Promise<{ file: string; durationMs: number }> }> {
    const id = newId('rec');
    const file = (await this.request({
      op: 'record',
      id,
      bridge: bridge.id,
      customer: customer.id,
      name,
    })) as string;
    return {
      file,
      stop: () => this.request({ op: 'stop-record', id }) as Promise<{ file: string; durationMs: number }>,
    };
  }

  async conference(id: string, legs: RemoteLeg[]): Promise<number> {
    return (await this.request({ op: 'conference', id, legs: legs.map((l) => l.id) })) as number;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
