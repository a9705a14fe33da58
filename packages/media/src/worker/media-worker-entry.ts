// Runs inside the media worker thread: owns the MediaEngine and every leg, bridge, playback, recorder
// and conference, executing requests from the main thread and forwarding leg events back.

import { parentPort } from 'node:worker_threads';
import { Bridge } from '../bridge';
import type { MediaLeg } from '../legs/media-leg';
import { MediaEngine } from '../media-engine';
import { ConferenceMixer } from '../mixer/conference-mixer';
import type { Playback } from '../player/prompt-player';
import type { WavRecorder } from '../recorder/wav-recorder';
import type { Reply, Request, WorkerEvent } from './protocol';

const port = parentPort!;
let engine: MediaEngine | null = null;
const legs = new Map<string, MediaLeg>();
const bridges = new Map<string, Bridge>();
const playbacks = new Map<string, Playback>();
const recorders = new Map<string, WavRecorder>();
const conferences = new Map<string, ConferenceMixer>();

function emit(e: WorkerEvent): void {
  port.postMessage({ event: e });
}

function need<T>(map: Map<string, T>, id: string, what: string): T {
  const v = map.get(id);
  if (v === undefined) throw new Error(`no ${what} ${id}`);
  return v;
}

function adopt(id: string, leg: MediaLeg): void {
  legs.set(id, leg);
  leg.on('digit', (digit) => emit({ event: 'digit', id, digit }));
  leg.on('inactive', (silentMs) => emit({ event: 'inactive', id, silentMs }));
  leg.on('connected', () => emit({ event: 'connected', id }));
  leg.on('closed', () => {
    legs.delete(id);
    emit({ event: 'closed', id });
  });
}

async function handle(req: Request): Promise<unknown> {
  if (req.op === 'init') {
    engine = new MediaEngine(req.options);
    return engine.repaired;
  }
  if (!engine) throw new Error('media worker not initialised');
  switch (req.op) {
    case 'rtp-leg':
      adopt(req.id, await engine.createRtpLeg(req.id));
      return null;
    case 'webrtc-leg':
      adopt(req.id, engine.createWebRtcLeg(req.id));
      return null;
    case 'leg': {
      const leg = need(legs, req.id, 'leg');
      switch (req.method) {
        case 'createOffer':
          return leg.createOffer();
        case 'acceptOffer':
          return leg.acceptOffer(req.arg ?? '');
        case 'acceptAnswer':
          return leg.acceptAnswer(req.arg ?? '');
        case 'connected':
          return 'connected' in leg && typeof leg.connected === 'function'
            ? (leg.connected as () => Promise<void>)()
            : null;
        case 'quality':
          return leg.quality();
        case 'close':
          leg.close();
          return null;
      }
      return null;
    }
    case 'send-digits':
      return need(legs, req.id, 'leg').sendDigits(req.digits, req.durationMs);
    case 'collect':
      return need(legs, req.id, 'leg').digits.collect(req.options);
    case 'bridge':
      bridges.set(req.id, new Bridge(need(legs, req.a, 'leg'), need(legs, req.b, 'leg'), { dtmf: req.dtmf }));
      return null;
    case 'unbridge':
      need(bridges, req.id, 'bridge').unbridge();
      bridges.delete(req.id);
      return null;
    case 'play': {
      const pb = engine.player.play(need(legs, req.leg, 'leg'), req.names, { loop: req.loop });
      playbacks.set(req.id, pb);
      void pb.done.then((end) => {
        playbacks.delete(req.id);
        emit({ event: 'played', id: req.id, end });
      });
      return null;
    }
    case 'stop-play':
      playbacks.get(req.id)?.stop();
      return null;
    case 'record': {
      const rec = engine.recorder(req.name);
      await rec.start(need(bridges, req.bridge, 'bridge'), need(legs, req.customer, 'leg'));
      recorders.set(req.id, rec);
      return rec.file;
    }
    case 'stop-record': {
      const rec = need(recorders, req.id, 'recorder');
      recorders.delete(req.id);
      return rec.stop();
    }
    case 'conference': {
      let mixer = conferences.get(req.id);
      if (!mixer) {
        mixer = new ConferenceMixer();
        conferences.set(req.id, mixer);
      }
      for (const id of req.legs) mixer.add(need(legs, id, 'leg'));
      return mixer.size;
    }
    case 'conference-remove': {
      const mixer = need(conferences, req.id, 'conference');
      mixer.remove(need(legs, req.leg, 'leg'));
      if (mixer.size === 0) conferences.delete(req.id);
      return mixer.size;
    }
  }
}

port.on('message', async ({ seq, req }: { seq: number; req: Request }) => {
  let reply: Reply;
  try {
    reply = { seq, ok: true, result: await handle(req) };
  } catch (err) {
    reply = { seq, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage({ reply });
});
