// Messages between the main thread and a media worker. Objects live in the worker and are named by id;
// the main thread holds thin proxies. Everything crossing is structured-clone data (SDP strings, numbers).
// A request with seq 0 is a command: executed in order with the rest, no reply (errors are dropped —
// the objects it names may already be gone, e.g. a leg closed by ICE failure).

import type { CollectOptions } from '../dtmf/digit-stream';
import type { IceServerOptions } from '../legs/webrtc-leg';
import type { MediaEngineOptions } from '../media-engine';

export type Request =
  | { op: 'init'; options: MediaEngineOptions }
  | { op: 'ice-servers'; servers: IceServerOptions[] }
  /** Replies with the RTP port (rtp legs); `sessionId` makes the leg's SDP match the main thread's copy. */
  | { op: 'create-leg'; id: string; kind: 'rtp' | 'webrtc'; sessionId?: number; idle?: boolean }
  | {
      op: 'leg';
      id: string;
      method: 'createOffer' | 'acceptOffer' | 'acceptAnswer' | 'connected' | 'quality' | 'close';
      arg?: string;
    }
  | { op: 'send-digit'; id: string; digit: string; durationMs?: number }
  | { op: 'send-digits'; id: string; digits: string; durationMs?: number }
  | { op: 'collect'; id: string; options: Omit<CollectOptions, 'signal'> }
  | { op: 'bridge'; id: string; a: string; b: string; dtmf?: 'passthrough' | 'intercept' }
  | { op: 'unbridge'; id: string }
  | { op: 'silence'; leg: string; silent: boolean }
  | { op: 'forget-silence'; leg: string }
  | { op: 'play'; id: string; leg: string; names: string[]; loop?: boolean }
  | { op: 'ringback'; id: string; leg: string }
  | { op: 'stop-play'; id: string }
  | { op: 'stop-leg-playback'; leg: string }
  | { op: 'record'; id: string; bridge: string; customer: string; name: string }
  | { op: 'follow-record'; id: string; bridge: string | null; conference: string | null; customer: string }
  | { op: 'stop-record'; id: string }
  | { op: 'conference'; id: string }
  | { op: 'conference-add'; id: string; leg: string }
  | { op: 'conference-audience'; id: string; leg: string; heardBy: string[] | null }
  | { op: 'conference-remove'; id: string; leg: string }
  | { op: 'conference-close'; id: string };

export type Reply = { seq: number; ok: true; result: unknown } | { seq: number; ok: false; error: string };

/** Unsolicited events from worker objects. */
export type WorkerEvent =
  | { event: 'digit'; id: string; digit: string }
  | { event: 'inactive'; id: string; silentMs: number }
  | { event: 'closed'; id: string }
  | { event: 'connected'; id: string }
  | { event: 'played'; id: string; end: 'finished' | 'stopped' };
