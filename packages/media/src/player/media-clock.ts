// One 20 ms clock for every call in the process. Per-call timers would mean thousands of timers drifting
// independently; one clock that catches up against absolute time keeps every stream at exactly 50
// packets per second and costs one timer wake-up per 20 ms however many calls are playing.

export type TickListener = (tick: number) => void;

export const FRAME_MS = 20;
/** Ticks missed beyond this (e.g. a long GC pause) are dropped instead of bursting out. */
const MAX_CATCH_UP = 5;

export class MediaClock {
  private readonly listeners = new Set<TickListener>();
  private timer: NodeJS.Timeout | null = null;
  private startMs = 0;
  private tickCount = 0;
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  get tick(): number {
    return this.tickCount;
  }

  get size(): number {
    return this.listeners.size;
  }

  subscribe(listener: TickListener): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.startMs = this.now() - this.tickCount * FRAME_MS;
      this.schedule();
    }
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: TickListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private schedule(): void {
    const due = this.startMs + (this.tickCount + 1) * FRAME_MS;
    this.timer = setTimeout(this.run, Math.max(0, due - this.now()));
  }

  private readonly run = (): void => {
    this.timer = null;
    const now = this.now();
    let due = Math.floor((now - this.startMs) / FRAME_MS) - this.tickCount;
    if (due > MAX_CATCH_UP) {
      this.startMs += (due - MAX_CATCH_UP) * FRAME_MS;
      due = MAX_CATCH_UP;
    }
    for (let i = 0; i < due; i++) {
      this.tickCount++;
      for (const l of this.listeners) {
        try {
          l(this.tickCount);
        } catch {
          // one call's bug must not stop every other call's media
        }
      }
    }
    if (this.listeners.size > 0) this.schedule();
  };
}

/** The process-wide clock used by players, mixers, DTMF senders and housekeeping. */
export const sharedClock = new MediaClock();
