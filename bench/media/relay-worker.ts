// The media plane under test, in a worker thread: creates bridged calls on request. The main thread of
// the same process stays free (it stands in for the SIP/HTTP event loop) and measures its own lag.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import {
  Bridge,
  type Playback,
  PortPool,
  PromptPlayer,
  RtpLeg,
  WebRtcLeg,
} from '../../packages/media/src/index';

export type WorkerRequest =
  | { op: 'rtp-calls'; calls: number; remoteA: number; remoteB: number }
  | { op: 'echo-calls'; calls: number; remoteA: number; remoteB: number }
  | { op: 'webrtc-offer'; index: number; icePort: number }
  | { op: 'webrtc-answer'; index: number; sdp: string; remoteB: number }
  | { op: 'players'; count: number; sinkPort: number }
  | { op: 'teardown' }
  | { op: 'stats' }
  | { op: 'probe' };

/** What the media thread itself spent, cumulative: robust to other load on the machine, unlike latency. */
export interface Probe {
  /** CPU time of this thread (user + system), ms; 10 ms resolution (clock ticks). */
  threadCpuMs: number;
  /** The system (kernel: socket syscalls) part of threadCpuMs. */
  threadSysMs: number;
  /** Young-generation GCs (scavenges) and their pause times. */
  minorGcs: number;
  minorGcMs: number;
  /** Old-generation GCs (mark-compact). */
  majorGcs: number;
  majorGcMs: number;
  /** Longest single GC pause since the previous probe. */
  maxGcMs: number;
  /** Packets the media thread has forwarded (relay: sent by the legs; bare forwarder: sent). */
  forwarded: number;
}

const pool = new PortPool({ min: 40000, max: 59999 });
const calls: { a: RtpLeg | WebRtcLeg; b: RtpLeg; bridge: Bridge }[] = [];
const pendingWeb = new Map<number, WebRtcLeg>();
const echoSockets: dgram.Socket[] = [];
const player = new PromptPlayer();
const playing: { leg: RtpLeg; playback: Playback }[] = [];
let echoForwarded = 0;

const gc = { minorGcs: 0, minorGcMs: 0, majorGcs: 0, majorGcMs: 0, maxGcMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      gc.minorGcs++;
      gc.minorGcMs += e.duration;
    } else {
      gc.majorGcs++;
      gc.majorGcMs += e.duration;
    }
    gc.maxGcMs = Math.max(gc.maxGcMs, e.duration);
  }
}).observe({ entryTypes: ['gc'] });

/** utime and stime of the calling thread in ms (Linux /proc/thread-self/stat, fields 14 and 15, 1/100 s). */
function threadCpu(): { threadCpuMs: number; threadSysMs: number } {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { threadCpuMs: (Number(f[11]) + Number(f[12])) * 10, threadSysMs: Number(f[12]) * 10 };
  } catch {
    return { threadCpuMs: Number.NaN, threadSysMs: Number.NaN };
  }
}

async function handle(msg: WorkerRequest): Promise<unknown> {
  switch (msg.op) {
    case 'rtp-calls': {
      const ports: [number, number][] = [];
      for (let i = 0; i < msg.calls; i++) {
        const a = await RtpLeg.create({ pool, inactivityTimeoutMs: 0 });
        const b = await RtpLeg.create({ pool, inactivityTimeoutMs: 0 });
        a.setRemote('127.0.0.1', msg.remoteA);
        b.setRemote('127.0.0.1', msg.remoteB);
        calls.push({ a, b, bridge: new Bridge(a, b) });
        ports.push([a.port, b.port]);
      }
      return ports;
    }
    case 'echo-calls': {
      // Control: the same sockets and packet rate through a bare forwarder (no parsing, no rewriting),
      // so the difference to 'rtp-calls' is what the media plane itself costs.
      const ports: [number, number][] = [];
      for (let i = 0; i < msg.calls; i++) {
        const a = dgram.createSocket('udp4');
        const b = dgram.createSocket('udp4');
        await Promise.all([
          new Promise<void>((r) => a.bind(0, '127.0.0.1', r)),
          new Promise<void>((r) => b.bind(0, '127.0.0.1', r)),
        ]);
        a.on('message', (m) => {
          echoForwarded++;
          b.send(m, msg.remoteB, '127.0.0.1');
        });
        b.on('message', (m) => {
          echoForwarded++;
          a.send(m, msg.remoteA, '127.0.0.1');
        });
        echoSockets.push(a, b);
        ports.push([a.address().port, b.address().port]);
      }
      return ports;
    }
    case 'webrtc-offer': {
      const leg = new WebRtcLeg({
        publicAddress: '127.0.0.1',
        portRange: [msg.icePort, msg.icePort + 3],
        inactivityTimeoutMs: 0,
      });
      pendingWeb.set(msg.index, leg);
      return leg.createOffer();
    }
    case 'webrtc-answer': {
      const leg = pendingWeb.get(msg.index)!;
      pendingWeb.delete(msg.index);
      await leg.acceptAnswer(msg.sdp);
      await leg.connected();
      const b = await RtpLeg.create({ pool, inactivityTimeoutMs: 0 });
      b.setRemote('127.0.0.1', msg.remoteB);
      calls.push({ a: leg, b, bridge: new Bridge(leg, b) });
      return b.port;
    }
    case 'players': {
      // Callers on hold music in the same media thread (a queue's waiting callers), sent to a sink.
      for (let i = 0; i < msg.count; i++) {
        const leg = await RtpLeg.create({ pool, inactivityTimeoutMs: 0 });
        leg.setRemote('127.0.0.1', msg.sinkPort);
        playing.push({ leg, playback: player.play(leg, 'hold-music', { loop: true }) });
      }
      return true;
    }
    case 'teardown': {
      for (const p of playing.splice(0)) {
        p.playback.stop();
        p.leg.close();
      }
      for (const s of echoSockets.splice(0)) s.close();
      for (const c of calls.splice(0)) {
        c.bridge.unbridge();
        c.a.close();
        c.b.close();
      }
      return true;
    }
    case 'stats': {
      let lost = 0;
      let received = 0;
      for (const c of calls) {
        for (const leg of [c.a, c.b]) {
          const q = leg.quality();
          lost += q.packetsLost;
          received += q.packetsReceived;
        }
      }
      return { calls: calls.length, lost, received };
    }
    case 'probe': {
      let forwarded = echoForwarded;
      for (const c of calls) forwarded += c.a.packetsSent + c.b.packetsSent;
      const probe: Probe = { ...threadCpu(), ...gc, forwarded };
      gc.maxGcMs = 0;
      return probe;
    }
  }
}

parentPort!.on('message', async ({ id, msg }: { id: number; msg: WorkerRequest }) => {
  try {
    parentPort!.postMessage({ id, ok: true, result: await handle(msg) });
  } catch (err) {
    parentPort!.postMessage({ id, ok: false, error: String(err) });
  }
});
