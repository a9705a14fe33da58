import type { IceServerOptions } from '../legs/webrtc-leg';
// The media plane in a worker thread, driven from the main thread. SIP and HTTP keep their event loop:
// packet handling, SRTP and the 20 ms clock never run on it. Legs, bridges, playbacks, recorders and
// conferences live in the worker; the main thread holds proxies addressed by id. Commands (bridge,
// silence, play…) are posted without waiting: the worker runs them in the order they were sent.

import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { CollectOptions } from '../dtmf/digit-stream';
import type { CallQuality, MediaLegEvents } from '../legs/media-leg';
import { type RtpSdpIdentity, rtpAcceptAnswer, rtpAnswer, rtpOffer } from '../legs/rtp-sdp';
import type { MediaEngineOptions } from '../media-engine';
import type {
  MediaPlane,
  PlaneBridge,
  PlaneConference,
  PlaneLeg,
  PlanePlayback,
  PlaneRecording,
  RecordingResult,
} from '../plane/media-plane';
import type { PlaybackEnd } from '../player/prompt-player';
import type { Reply, Request, WorkerEvent } from './protocol';

let nextId = 1;
const newId = (prefix: string) => `${prefix}-${nextId++}`;

export class RemoteLeg extends EventEmitter<MediaLegEvents> implements PlaneLeg {
  closed = false;
  /**
   * A spare RTP leg's SDP identity (its port is known here): offers and answers are made on this
   * thread with the same functions RtpLeg uses, and the worker applies the same SDP in order.
   */
  mirror: { identity: RtpSdpIdentity; version: number } | null = null;

  constructor(
    private readonly host: MediaWorker,
    readonly id: string,
    readonly kind: 'rtp' | 'webrtc',
  ) {
    super();
  }

  async createOffer(): Promise<string> {
    const m = this.mirror;
    if (!m) return (await this.host.request({ op: 'leg', id: this.id, method: 'createOffer' })) as string;
    const sdp = rtpOffer(m.identity, m.version++);
    this.host.command({ op: 'leg', id: this.id, method: 'createOffer' });
    return sdp;
  }

  async acceptOffer(offer: string): Promise<string> {
    const m = this.mirror;
    if (!m)
      return (await this.host.request({
        op: 'leg',
        id: this.id,
        method: 'acceptOffer',
        arg: offer,
      })) as string;
    const { sdp } = rtpAnswer(m.identity, m.version, offer); // throws, like the worker would, on a bad offer
    m.version++;
    this.host.command({ op: 'leg', id: this.id, method: 'acceptOffer', arg: offer });
    return sdp;
  }

  async acceptAnswer(answer: string): Promise<void> {
    if (!this.mirror) {
      await this.host.request({ op: 'leg', id: this.id, method: 'acceptAnswer', arg: answer });
      return;
    }
    rtpAcceptAnswer(answer);
    this.host.command({ op: 'leg', id: this.id, method: 'acceptAnswer', arg: answer });
  }

  /** WebRTC: resolves when ICE and DTLS are up. */
  async connected(): Promise<void> {
    await this.host.request({ op: 'leg', id: this.id, method: 'connected' });
  }

  quality(): Promise<CallQuality> {
    return this.host.request({ op: 'leg', id: this.id, method: 'quality' }) as Promise<CallQuality>;
  }

  async sendDigit(digit: string, durationMs?: number): Promise<void> {
    if (this.closed) return;
    await this.host.request({ op: 'send-digit', id: this.id, digit, durationMs });
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

  /** Closes the leg; like a local leg, `closed` is emitted at once. */
  close(): void {
    if (this.closed) return;
    this.host.command({ op: 'leg', id: this.id, method: 'close' });
    this.closedByWorker();
  }

  /** @internal The worker closed it (ICE failure) or the worker is gone. */
  closedByWorker(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.forget(this);
    this.emit('closed');
  }
}

class RemoteBridge implements PlaneBridge {
  private joined = true;

  constructor(
    private readonly host: MediaWorker,
    readonly id: string,
    readonly a: RemoteLeg,
    readonly b: RemoteLeg,
  ) {}

  get active(): boolean {
    return this.joined && !this.a.closed && !this.b.closed;
  }

  other(leg: PlaneLeg): RemoteLeg {
    return leg === this.a ? this.b : this.a;
  }

  unbridge(): void {
    if (!this.joined) return;
    this.joined = false;
    this.host.command({ op: 'unbridge', id: this.id });
  }
}

export class MediaWorker implements MediaPlane {
  private worker!: Worker;
  private seq = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly legs = new Map<string, RemoteLeg>();
  private readonly playbacks = new Map<string, (end: PlaybackEnd) => void>();
  private stopping = false;
  /** RTP legs created ahead, port known here: a call takes one without waiting for the worker. */
  private readonly spares: RemoteLeg[] = [];
  private sparesWanted = 0;
  private sparesComing = 0;
  /** Bumped when the worker is replaced: spares requested from the old one are not kept. */
  private generation = 0;
  private refilled: Promise<unknown> = Promise.resolve();
  /** Recordings the start-up repair fixed. */
  repaired: string[] = [];
  /** Called when the worker died and was started again (its calls' legs were closed). */
  onRestart?: (err: Error) => void;

  private constructor(private options: MediaEngineOptions) {}

  static async start(options: MediaEngineOptions): Promise<MediaWorker> {
    const w = new MediaWorker(options);
    w.repaired = await w.spawn();
    // RTP legs get the lower half of the range (MediaEngine); keep about an eighth of it ready, ≤ 16.
    const rtpPairs = Math.floor((Math.floor((options.portMax - options.portMin) / 2) + 1) / 2);
    w.sparesWanted = Math.min(16, Math.floor(rtpPairs / 8));
    w.refill();
    return w;
  }

  /** Resolves once the spare legs asked for so far exist (or could not be made). */
  async spareLegsReady(): Promise<void> {
    await this.refilled;
  }

  private refill(): void {
    const generation = this.generation;
    const coming: Promise<unknown>[] = [];
    while (!this.stopping && this.spares.length + this.sparesComing < this.sparesWanted) {
      this.sparesComing++;
      const id = newId('rtp');
      const sessionId = Math.floor(Math.random() * 1e9);
      const leg = new RemoteLeg(this, id, 'rtp');
      this.legs.set(id, leg);
      const created = this.request({ op: 'create-leg', id, kind: 'rtp', sessionId, idle: true });
      coming.push(created.catch(() => {}));
      created.then(
        (port) => {
          if (generation !== this.generation) return;
          this.sparesComing--;
          leg.mirror = {
            identity: {
              address: this.options.publicAddress ?? this.options.bindAddress,
              port: port as number,
              preference: this.options.codecs ?? ['PCMU', 'PCMA'],
              offerDtmfPt: 101,
              sessionId,
            },
            version: 0,
          };
          if (!leg.closed) this.spares.push(leg);
        },
        () => {
          // No free port now: the next call creates its leg the slow way (and reports the error).
          if (generation !== this.generation) return;
          this.sparesComing--;
          this.legs.delete(id);
        },
      );
    }
    if (coming.length > 0) this.refilled = Promise.all([this.refilled, ...coming]);
  }

  private spawn(): Promise<string[]> {
    const worker = startWorkerThread();
    this.worker = worker;
    worker.on('message', (msg: { reply?: Reply; event?: WorkerEvent }) => {
      if (msg.reply) {
        const p = this.pending.get(msg.reply.seq);
        this.pending.delete(msg.reply.seq);
        if (msg.reply.ok) p?.resolve(msg.reply.result);
        else p?.reject(new Error(msg.reply.error));
      } else if (msg.event) {
        this.onEvent(msg.event);
      }
    });
    let failure: Error | null = null;
    worker.on('error', (err) => {
      failure = err;
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      const err = failure ?? new Error(`media worker exited with code ${code}`);
      this.lost(err);
      if (this.stopping) return;
      // Calls in progress lost their media with the thread; new calls get a fresh one.
      void this.spawn().then(
        () => {
          this.refill();
          this.onRestart?.(err);
        },
        () => {},
      );
    });
    return this.request({ op: 'init', options: this.options }) as Promise<string[]>;
  }

  private lost(err: Error): void {
    this.generation++;
    this.spares.length = 0;
    this.sparesComing = 0;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const leg of [...this.legs.values()]) leg.closedByWorker();
    for (const resolve of this.playbacks.values()) resolve('stopped');
    this.playbacks.clear();
  }

  request(req: Request): Promise<unknown> {
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ seq, req });
    });
  }

  /** A request nobody waits for; the worker runs it in order and does not reply. */
  command(req: Request): void {
    this.worker.postMessage({ seq: 0, req });
  }

  /** @internal */
  forget(leg: RemoteLeg): void {
    this.legs.delete(leg.id);
  }

  get openLegs(): number {
    return this.legs.size - this.spares.filter((s) => !s.closed).length;
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
    else if (e.event === 'closed') leg.closedByWorker();
  }

  /**
   * The leg is created by a command, not a round trip: the caller's next request (an offer or answer)
   * follows it in order, and fails with the creation's error (no free port) if there was one. Call
   * set-up waits for the worker once per leg instead of twice.
   */
  private async createLeg(kind: 'rtp' | 'webrtc'): Promise<RemoteLeg> {
    const id = newId(kind);
    const leg = new RemoteLeg(this, id, kind);
    this.legs.set(id, leg);
    this.command({ op: 'create-leg', id, kind });
    return leg;
  }

  createRtpLeg(): Promise<RemoteLeg> {
    let spare = this.spares.shift();
    while (spare?.closed) spare = this.spares.shift();
    this.refill();
    return spare ? Promise.resolve(spare) : this.createLeg('rtp');
  }

  createWebRtcLeg(): Promise<RemoteLeg> {
    return this.createLeg('webrtc');
  }

  bridge(a: PlaneLeg, b: PlaneLeg, opts: { dtmf?: 'passthrough' | 'intercept' } = {}): RemoteBridge {
    const id = newId('bridge');
    this.command({ op: 'bridge', id, a: this.remote(a).id, b: this.remote(b).id, dtmf: opts.dtmf });
    return new RemoteBridge(this, id, this.remote(a), this.remote(b));
  }

  setIceServers(servers: IceServerOptions[]): void {
    // A worker started again after a crash begins with these too.
    this.options = { ...this.options, iceServers: servers };
    this.command({ op: 'ice-servers', servers });
  }

  silence(leg: PlaneLeg, silent: boolean): void {
    this.command({ op: 'silence', leg: this.remote(leg).id, silent });
  }

  forgetSilence(leg: PlaneLeg): void {
    this.command({ op: 'forget-silence', leg: this.remote(leg).id });
  }

  private playback(id: string): PlanePlayback {
    const done = new Promise<PlaybackEnd>((resolve) => this.playbacks.set(id, resolve));
    return { done, stop: () => this.command({ op: 'stop-play', id }) };
  }

  play(leg: PlaneLeg, names: string | string[], opts: { loop?: boolean } = {}): PlanePlayback {
    const id = newId('play');
    const pb = this.playback(id);
    const list = Array.isArray(names) ? names : [names];
    // A prompt that cannot be played (unknown name, leg gone) ends the playback instead of hanging it.
    this.request({ op: 'play', id, leg: this.remote(leg).id, names: list, loop: opts.loop }).catch(() => {
      this.playbacks.get(id)?.('stopped');
      this.playbacks.delete(id);
    });
    return pb;
  }

  stopPlayback(leg: PlaneLeg): void {
    this.command({ op: 'stop-leg-playback', leg: this.remote(leg).id });
  }

  ringback(leg: PlaneLeg): PlanePlayback {
    const id = newId('ringback');
    const pb = this.playback(id);
    this.command({ op: 'ringback', id, leg: this.remote(leg).id });
    return pb;
  }

  conference(): PlaneConference {
    const id = newId('conference');
    this.command({ op: 'conference', id });
    const conference: PlaneConference = {
      add: (leg) => this.command({ op: 'conference-add', id, leg: this.remote(leg).id }),
      setAudience: (leg, heardBy) =>
        this.command({
          op: 'conference-audience',
          id,
          leg: this.remote(leg).id,
          heardBy: heardBy?.map((l) => this.remote(l).id) ?? null,
        }),
      remove: (leg) => this.command({ op: 'conference-remove', id, leg: this.remote(leg).id }),
      close: () => this.command({ op: 'conference-close', id }),
    };
    this.conferenceIds.set(conference, id);
    return conference;
  }

  /** The worker's id of each conference handed out, for a recording that follows one. */
  private readonly conferenceIds = new WeakMap<PlaneConference, string>();

  async record(bridge: PlaneBridge, customer: PlaneLeg, name: string): Promise<PlaneRecording> {
    const id = newId('rec');
    const file = (await this.request({
      op: 'record',
      id,
      bridge: this.remoteBridge(bridge).id,
      customer: this.remote(customer).id,
      name,
    })) as string;
    return {
      file,
      follow: (source, c) => {
        const conference =
          source instanceof RemoteBridge ? null : this.conferenceIds.get(source as PlaneConference);
        if (conference === undefined) throw new Error('conference does not belong to this media worker');
        this.command({
          op: 'follow-record',
          id,
          bridge: conference === null ? this.remoteBridge(source as PlaneBridge).id : null,
          conference,
          customer: this.remote(c).id,
        });
      },
      stop: () => this.request({ op: 'stop-record', id }) as Promise<RecordingResult>,
    };
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }

  private remote(leg: PlaneLeg): RemoteLeg {
    if (!(leg instanceof RemoteLeg)) throw new Error(`leg ${leg.id} does not belong to this media worker`);
    return leg;
  }

  private remoteBridge(bridge: PlaneBridge): RemoteBridge {
    if (!(bridge instanceof RemoteBridge)) throw new Error('bridge does not belong to this media worker');
    return bridge;
  }
}

/**
 * Run from source (tsx, vitest) this module is TypeScript beside the entry, and Node 20 workers do
 * not inherit tsx's loader: the worker registers it, then loads the entry. In the server build
 * (scripts/build-server.mjs) this module is bundled into a file beside the built entry, plain
 * JavaScript that Node loads itself, with no tsx installed.
 */
function startWorkerThread(): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./media-worker-entry.js', import.meta.url));
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./media-worker-entry.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true });
}
