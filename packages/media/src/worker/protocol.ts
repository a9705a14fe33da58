// Messages between the main thread and a media worker. Objects live in the worker and are named by id;
// the main thread holds thin proxies. Everything crossing is structured-clone data (SDP strings, numbers).

import type { CollectOptions } from '../dtmf/digit-stream';
import type { MediaEngineOptions } from '../media-engine';

export type Request =
  | { op: 'init'; options: MediaEngineOptions }
  | { op: 'rtp-leg'; id: string }
  | { op: 'webrtc-leg'; id: string }
  | {
      op: 'leg';
      id: string;
      method: 'createOffer' | 'acceptOffer' | 'acceptAnswer' | 'connected' | 'quality' | 'close';
      arg?: string;
    }
  | { op: 'send-digits'; id: string; digits: string; durationMs?: number }
  | { op: 'collect'; id: string; options: Omit<CollectOptions, 'signal'> }
  | { op: 'bridge'; id: string; a: string; b: string; dtmf?: 'passthrough' | 'intercept' }
  | { op: 'unbridge'; id: string }
  | { op: 'play'; id: string; leg: string; names: string[]; loop?: boolean }
  | { op: 'stop-play'; id: string }
  | { op: 'record'; id: string; bridge: string; customer: string; name: string }
  | { op: 'stop-record'; id: string }
  | { op: 'conference'; id: string; legs: string[] }
  | { op: 'conference-remove'; id: string; leg: string };

export type Reply = { seq: number; ok: true; result: unknown } | { seq: number; ok: false; error: string };

/** Unsolicited events from worker objects. */
export type WorkerEvent =
  | { event: 'digit'; id: string; digit: string }
  | { event: 'inactive'; id: string; silentMs: number }
  | { event: 'closed'; id: string }
  | { event: 'connected'; id: string }
  | { event: 'played'; id: string; end: 'finished' | 'stopped' };
