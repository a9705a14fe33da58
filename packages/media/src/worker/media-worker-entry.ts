// Runs inside the media worker thread: a LocalMediaPlane owns every leg, bridge, playback, recorder
// and conference; this file maps the main thread's ids to them and forwards leg events back.

import { parentPort } from 'node:worker_threads';
import type { Bridge } from '../bridge';
import type { MediaLeg } from '../legs/media-leg';
import type { RtpLeg } from '../legs/rtp-leg';
import { LocalMediaPlane } from '../plane/local-media-plane';
import type { PlaneConference, PlanePlayback, PlaneRecording } from '../plane/media-plane';
import type { Reply, Request, WorkerEvent } from './protocol';

const port = parentPort!;
let plane: LocalMediaPlane | null = null;
const legs = new Map<string, MediaLeg>();
const bridges = new Map<string, Bridge>();
/** Bridge ids by leg id, so a leg that closes takes its bridges with it. */
const bridgesOfLeg = new Map<string, Set<string>>();
const playbacks = new Map<string, PlanePlayback>();
const recorders = new Map<string, PlaneRecording>();
const conferences = new Map<string, PlaneConference>();

function emit(e: WorkerEvent): void {
  port.postMessage({ event: e });
}

function need<T>(map: Map<string, T>, id: string, what: string): T {
  const v = map.get(id);
  if (v === undefined) throw new Error(`no ${what} ${id}`);
  return v;
}

/**
 * Legs are created by a command (no reply) and their first request follows at once, possibly while
 * the socket is still being bound: leg requests wait for the creation, and fail with its error.
 */
const creating = new Map<string, Promise<MediaLeg>>();

async function legOf(id: string): Promise<MediaLeg> {
  return legs.get(id) ?? (await (creating.get(id) ?? Promise.reject(new Error(`no leg ${id}`))));
}

function adopt(id: string, leg: MediaLeg): void {
  legs.set(id, leg);
  leg.on('digit', (digit) => emit({ event: 'digit', id, digit }));
  leg.on('inactive', (silentMs) => emit({ event: 'inactive', id, silentMs }));
  leg.on('connected', () => emit({ event: 'connected', id }));
  leg.on('closed', () => {
    legs.delete(id);
    for (const b of bridgesOfLeg.get(id) ?? []) dropBridge(b);
    bridgesOfLeg.delete(id);
    emit({ event: 'closed', id });
  });
}

function dropBridge(id: string): void {
  const bridge = bridges.get(id);
  if (!bridge) return;
  bridge.unbridge();
  bridges.delete(id);
}

function track(id: string, pb: PlanePlayback): void {
  playbacks.set(id, pb);
  void pb.done.then((end) => {
    playbacks.delete(id);
    emit({ event: 'played', id, end });
  });
}

type Op<K extends Request['op']> = Extract<Request, { op: K }>;

async function handle(req: Request): Promise<unknown> {
  if (req.op === 'init') {
    plane = new LocalMediaPlane(req.options);
    await plane.warmUp();
    return plane.repaired;
  }
  if (!plane) throw new Error('media worker not initialised');
  switch (req.op) {
    case 'ice-servers':
      return plane.setIceServers(req.servers);
    case 'create-leg':
      return createLeg(plane, req);
    case 'leg':
      return callLeg(req);
    case 'send-digit':
      return (await legOf(req.id)).sendDigit(req.digit, req.durationMs);
    case 'send-digits':
      return need(legs, req.id, 'leg').sendDigits(req.digits, req.durationMs);
    case 'collect':
      return need(legs, req.id, 'leg').digits.collect(req.options);
    case 'bridge':
    case 'unbridge':
      return handleBridge(plane, req);
    case 'silence':
    case 'forget-silence':
    case 'play':
    case 'ringback':
    case 'stop-play':
    case 'stop-leg-playback':
      return handlePlayback(plane, req);
    case 'record':
    case 'follow-record':
    case 'stop-record':
      return handleRecording(plane, req);
    case 'conference':
    case 'conference-add':
    case 'conference-audience':
    case 'conference-remove':
    case 'conference-close':
      return handleConference(plane, req);
  }
}

async function createLeg(plane: LocalMediaPlane, req: Op<'create-leg'>): Promise<unknown> {
  const id = req.id;
  const created = req.kind === 'rtp' ? plane.createRtpLeg(id, req.sessionId) : plane.createWebRtcLeg(id);
  creating.set(id, created);
  try {
    const leg = await created;
    // A spare leg waits for its call: no media is expected yet, so no inactivity is reported.
    if (req.idle && leg.kind === 'rtp') (leg as RtpLeg).configure({ direction: 'inactive' });
    adopt(id, leg);
    return leg.kind === 'rtp' ? (leg as RtpLeg).port : null;
  } finally {
    // A failed creation stays readable a little while for the request that follows it.
    if (legs.has(id)) creating.delete(id);
    else setTimeout(() => creating.delete(id), 10_000).unref();
  }
}

/** A leg's own methods: SDP offer/answer, connection, quality figures, close. */
async function callLeg(req: Op<'leg'>): Promise<unknown> {
  const leg = await legOf(req.id);
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

function handleBridge(plane: LocalMediaPlane, req: Op<'bridge' | 'unbridge'>): null {
  if (req.op === 'bridge') {
    bridges.set(req.id, plane.bridge(need(legs, req.a, 'leg'), need(legs, req.b, 'leg'), { dtmf: req.dtmf }));
    for (const leg of [req.a, req.b]) {
      const set = bridgesOfLeg.get(leg) ?? new Set<string>();
      set.add(req.id);
      bridgesOfLeg.set(leg, set);
    }
    return null;
  }
  const bridge = bridges.get(req.id);
  dropBridge(req.id);
  if (bridge) for (const leg of [bridge.a.id, bridge.b.id]) bridgesOfLeg.get(leg)?.delete(req.id);
  return null;
}

/** Silence, prompts, ringback and stopping them. */
function handlePlayback(
  plane: LocalMediaPlane,
  req: Op<'silence' | 'forget-silence' | 'play' | 'ringback' | 'stop-play' | 'stop-leg-playback'>,
): null {
  switch (req.op) {
    case 'silence':
      plane.silence(need(legs, req.leg, 'leg'), req.silent);
      break;
    case 'forget-silence':
      plane.forgetSilence(need(legs, req.leg, 'leg'));
      break;
    case 'play':
      track(req.id, plane.play(need(legs, req.leg, 'leg'), req.names, { loop: req.loop }));
      break;
    case 'ringback':
      track(req.id, plane.ringback(need(legs, req.leg, 'leg')));
      break;
    case 'stop-play':
      playbacks.get(req.id)?.stop();
      break;
    case 'stop-leg-playback':
      plane.stopPlayback(need(legs, req.leg, 'leg'));
      break;
  }
  return null;
}

async function handleRecording(
  plane: LocalMediaPlane,
  req: Op<'record' | 'follow-record' | 'stop-record'>,
): Promise<unknown> {
  switch (req.op) {
    case 'record': {
      const rec = await plane.record(
        need(bridges, req.bridge, 'bridge'),
        need(legs, req.customer, 'leg'),
        req.name,
      );
      recorders.set(req.id, rec);
      return rec.file;
    }
    case 'follow-record':
      need(recorders, req.id, 'recorder').follow(
        req.conference !== null
          ? need(conferences, req.conference, 'conference')
          : need(bridges, req.bridge ?? '', 'bridge'),
        need(legs, req.customer, 'leg'),
      );
      return null;
    case 'stop-record': {
      const rec = need(recorders, req.id, 'recorder');
      recorders.delete(req.id);
      return rec.stop();
    }
  }
}

function handleConference(
  plane: LocalMediaPlane,
  req: Op<'conference' | 'conference-add' | 'conference-audience' | 'conference-remove' | 'conference-close'>,
): null {
  switch (req.op) {
    case 'conference':
      conferences.set(req.id, plane.conference());
      break;
    case 'conference-add':
      need(conferences, req.id, 'conference').add(need(legs, req.leg, 'leg'));
      break;
    case 'conference-audience':
      need(conferences, req.id, 'conference').setAudience(
        need(legs, req.leg, 'leg'),
        req.heardBy?.map((l) => need(legs, l, 'leg')) ?? null,
      );
      break;
    case 'conference-remove':
      need(conferences, req.id, 'conference').remove(need(legs, req.leg, 'leg'));
      break;
    case 'conference-close':
      conferences.get(req.id)?.close();
      conferences.delete(req.id);
      break;
  }
  return null;
}

port.on('message', async ({ seq, req }: { seq: number; req: Request }) => {
  if (seq === 0) {
    // A command: nobody waits for it. Its objects may be gone already (closed legs); nothing to report.
    try {
      await handle(req);
    } catch {}
    return;
  }
  let reply: Reply;
  try {
    reply = { seq, ok: true, result: await handle(req) };
  } catch (err) {
    reply = { seq, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage({ reply });
});
