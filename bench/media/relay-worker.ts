// The media plane under test, in a worker thread: creates bridged calls on request. The main thread of
// the same process stays free (it stands in for the SIP/HTTP event loop) and measures its own lag.
import dgram from 'node:dgram';
import { parentPort } from 'node:worker_threads';
import { Bridge, PortPool, RtpLeg, WebRtcLeg } from '../../packages/media/src/index';

export type WorkerRequest =
  | { op: 'rtp-calls'; calls: number; remoteA: number; remoteB: number }
  | { op: 'echo-calls'; calls: number; remoteA: number; remoteB: number }
  | { op: 'webrtc-offer'; index: number; icePort: number }
  | { op: 'webrtc-answer'; index: number; sdp: string; remoteB: number }
  | { op: 'teardown' }
  | { op: 'stats' };

const pool = new PortPool({ min: 40000, max: 59999 });
const calls: { a: RtpLeg | WebRtcLeg; b: RtpLeg; bridge: Bridge }[] = [];
const pendingWeb = new Map<number, WebRtcLeg>();
const echoSockets: dgram.Socket[] = [];

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
        a.on('message', (m) => b.send(m, msg.remoteB, '127.0.0.1'));
        b.on('message', (m) => a.send(m, msg.remoteA, '127.0.0.1'));
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
    case 'teardown': {
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
  }
}

parentPort!.on('message', async ({ id, msg }: { id: number; msg: WorkerRequest }) => {
  try {
    parentPort!.postMessage({ id, ok: true, result: await handle(msg) });
  } catch (err) {
    parentPort!.postMessage({ id, ok: false, error: String(err) });
  }
});
