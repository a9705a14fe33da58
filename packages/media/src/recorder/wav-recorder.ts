// Streams a call to a stereo 8 kHz PCM16 WAV (left = customer, right = agent) while it happens. Audio is
// paced by the shared 20 ms clock rather than by packet arrival, so the file's length is the call's length
// even when one side is silent or loses packets; at most ~200 ms is held in memory per call.
// The RIFF/data sizes are written as 0 at the start and fixed at the end; a crash leaves them 0, and
// repairRecordings() fixes such files at start-up from the file length.

import {
  closeSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AudioTapSource } from '../bridge';
import { ALAW_DECODE, type G711Law, ULAW_DECODE } from '../codecs/g711';
import type { MediaLeg } from '../legs/media-leg';
import type { RecordingResult } from '../plane/media-plane';
import { type MediaClock, sharedClock } from '../player/media-clock';
import { pcm16Header, WAV_HEADER_BYTES } from '../player/wav';

const FRAME = 160;
/** Samples buffered per channel before output starts — absorbs arrival jitter against the clock. */
const PREBUFFER = FRAME * 2;
/** Keep at most this many samples queued; older audio is dropped if a peer sends faster than real time. */
const MAX_QUEUE = FRAME * 10;
/** Frames collected before one write to disk (200 ms). */
const FLUSH_FRAMES = 10;

class ChannelQueue {
  private buf = new Int16Array(MAX_QUEUE + FRAME * 4);
  private len = 0;
  private primed = false;
  heardAnything = false;

  push(payload: Buffer, law: G711Law): void {
    const table = law === 'PCMU' ? ULAW_DECODE : ALAW_DECODE;
    const n = payload.length;
    if (this.len + n > this.buf.length) {
      const drop = this.len + n - MAX_QUEUE;
      this.buf.copyWithin(0, drop, this.len);
      this.len -= drop;
    }
    for (let i = 0; i < n; i++) this.buf[this.len + i] = table[payload[i]!]!;
    this.len += n;
    this.heardAnything = true;
  }

  /** Write one frame into `out` at stride 2 starting at `channel`; silence on underrun. */
  take(out: Int16Array, channel: number): void {
    if (!this.ready()) {
      for (let i = 0; i < FRAME; i++) out[i * 2 + channel] = 0;
      return;
    }
    for (let i = 0; i < FRAME; i++) out[i * 2 + channel] = this.buf[i]!;
    this.consume();
  }

  /** Adds one frame into `sum` (nothing on underrun); true if there was one. */
  addInto(sum: Int32Array): boolean {
    if (!this.ready()) return false;
    for (let i = 0; i < FRAME; i++) sum[i]! += this.buf[i]!;
    this.consume();
    return true;
  }

  private ready(): boolean {
    if (!this.primed && this.len >= PREBUFFER) this.primed = true;
    if (!this.primed || this.len < FRAME) {
      this.primed = false;
      return false;
    }
    return true;
  }

  private consume(): void {
    this.buf.copyWithin(0, FRAME, this.len);
    this.len -= FRAME;
  }
}

/**
 * The right channel: everyone but the customer. Usually the agent alone; while a supervisor barges or
 * a conference runs, each voice has its own queue and a frame is their sum, so the voices overlap as
 * they did on the call instead of being cut into each other.
 */
class MixedChannel {
  private readonly sources = new Map<MediaLeg, ChannelQueue>();
  private readonly sum = new Int32Array(FRAME);

  push(from: MediaLeg, payload: Buffer, law: G711Law): void {
    let q = this.sources.get(from);
    if (!q) {
      q = new ChannelQueue();
      this.sources.set(from, q);
    }
    q.push(payload, law);
  }

  take(out: Int16Array, channel: number): void {
    const sum = this.sum;
    sum.fill(0);
    for (const q of this.sources.values()) q.addInto(sum);
    for (let i = 0; i < FRAME; i++) out[i * 2 + channel] = Math.min(32767, Math.max(sum[i]!, -32768));
  }
}

export interface RecorderOptions {
  clock?: MediaClock;
}

export class WavRecorder {
  readonly file: string;
  private fd: number | null = null;
  private readonly left = new ChannelQueue();
  private readonly right = new MixedChannel();
  private leftLeg: MediaLeg | null = null;
  private pending: Int16Array;
  private pendingFrames = 0;
  private dataBytes = 0;
  private off: (() => void) | null = null;
  private untap: (() => void) | null = null;
  private readonly clock: MediaClock;
  private startedAt = 0;
  private stoppedAt = 0;
  /** Set when the disk refused a write; the call continues, the recording stops growing. */
  error: Error | null = null;

  constructor(file: string, opts: RecorderOptions = {}) {
    this.file = file;
    this.clock = opts.clock ?? sharedClock;
    this.pending = new Int16Array(FRAME * 2 * FLUSH_FRAMES);
  }

  /** Open the file and start recording `bridge`; `customer` is the leg whose audio goes to the left channel. */
  async start(bridge: AudioTapSource, customer: MediaLeg): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const fd = openSync(this.file, 'w');
    try {
      writeSync(fd, pcm16Header(2, 8000, 0));
    } catch (err) {
      // A disk that cannot take even the header: no descriptor kept, no empty file left behind.
      closeSync(fd);
      try {
        unlinkSync(this.file);
      } catch {
        // already gone
      }
      throw err;
    }
    this.fd = fd;
    this.leftLeg = customer;
    this.untap = bridge.addTap(this.onAudio);
    this.startedAt = performance.now();
    this.off = this.clock.subscribe(this.onTick);
  }

  private readonly onAudio = (from: MediaLeg, payload: Buffer, law: G711Law): void => {
    if (from === this.leftLeg) this.left.push(payload, law);
    else this.right.push(from, payload, law);
  };

  /**
   * The call's legs were paired anew (an agent reconnected after a reload, a transfer) or mixed (a
   * conference, a supervisor monitoring): keep recording from `source` into the same file;
   * `customer` stays the left channel and every other voice goes to the right.
   */
  follow(source: AudioTapSource, customer: MediaLeg): void {
    if (this.fd === null) return;
    this.untap?.();
    this.leftLeg = customer;
    this.untap = source.addTap(this.onAudio);
  }

  get durationMs(): number {
    return (this.dataBytes / 4 / 8000) * 1000;
  }

  get wallMs(): number {
    return (this.stoppedAt || performance.now()) - this.startedAt;
  }

  private readonly onTick = (): void => {
    const base = this.pendingFrames * FRAME * 2;
    const view = this.pending.subarray(base, base + FRAME * 2);
    this.left.take(view, 0);
    this.right.take(view, 1);
    if (++this.pendingFrames >= FLUSH_FRAMES) this.flush();
  };

  private flush(): void {
    if (this.fd === null || this.pendingFrames === 0) return;
    const bytes = this.pendingFrames * FRAME * 4;
    this.pendingFrames = 0;
    if (this.error) return;
    try {
      // A synchronous 6.4 kB write every 200 ms per call is cheaper than a promise chain per write, and it
      // keeps the on-disk file within 200 ms of the call at every moment.
      const written = writeSync(this.fd, Buffer.from(this.pending.buffer, 0, bytes));
      // A short write is the disk filling up: keep whole stereo frames, the tail is cut at stop.
      this.dataBytes += written - (written % 4);
      if (written < bytes) this.error = new Error(`short write: ${written} of ${bytes} bytes (disk full?)`);
    } catch (err) {
      this.error = err as Error;
    }
  }

  /**
   * Stop, flush and write the final sizes into the header. After a failed write the file is cut
   * back to the audio it really holds, so the header never claims more; the descriptor is always
   * closed.
   */
  async stop(): Promise<RecordingResult> {
    if (this.fd === null) return this.result();
    this.off?.();
    this.off = null;
    this.untap?.();
    this.untap = null;
    this.stoppedAt = performance.now();
    this.flush();
    const fd = this.fd;
    this.fd = null;
    try {
      if (this.error) ftruncateSync(fd, WAV_HEADER_BYTES + this.dataBytes);
      writeSync(fd, pcm16Header(2, 8000, this.dataBytes), 0, WAV_HEADER_BYTES, 0);
    } catch (err) {
      this.error ??= err as Error;
    } finally {
      closeSync(fd);
    }
    return this.result();
  }

  private result(): RecordingResult {
    return { file: this.file, durationMs: this.durationMs, truncated: this.error !== null };
  }

  /** Simulate a crash in tests: drop the file handle without finalizing the header. */
  abandonForTest(): void {
    this.off?.();
    this.untap?.();
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Fix WAV files left with unfinished headers (crash mid-call): sizes are recomputed from the file length,
 * rounded down to whole stereo frames. Returns the files repaired. Run once at start-up.
 */
export function repairRecordings(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  const repaired: string[] = [];
  for (const name of names) {
    if (!name.toLowerCase().endsWith('.wav')) continue;
    const file = path.join(dir, name);
    let fd: number | null = null;
    try {
      fd = openSync(file, 'r+');
      const size = fstatSync(fd).size;
      if (size < WAV_HEADER_BYTES) continue;
      const head = Buffer.alloc(WAV_HEADER_BYTES);
      readSync(fd, head, 0, WAV_HEADER_BYTES, 0);
      if (head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 36, 40) !== 'data') continue;
      const channels = head.readUInt16LE(22) || 2;
      const rate = head.readUInt32LE(24) || 8000;
      const align = head.readUInt16LE(32) || 4;
      const data = Math.floor((size - WAV_HEADER_BYTES) / align) * align;
      if (
        head.readUInt32LE(40) === data &&
        head.readUInt32LE(4) === 36 + data &&
        size === WAV_HEADER_BYTES + data
      )
        continue;
      if (size !== WAV_HEADER_BYTES + data) ftruncateSync(fd, WAV_HEADER_BYTES + data);
      writeSync(fd, pcm16Header(channels, rate, data), 0, WAV_HEADER_BYTES, 0);
      repaired.push(file);
    } catch {
      // unreadable file: leave it for an operator
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }
  return repaired;
}
