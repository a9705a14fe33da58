// One 20 ms clock for every call in the process. Per-call timers would mean thousands of timers drifting
// independently; one clock that catches up against absolute time keeps every stream at exactly 50
// packets per second and costs one timer wake-up per phase (5 ms) however many calls are playing.

export type TickListener = (tick: number) => void;

export const FRAME_MS = 20;
/**
 * Listeners are spread over this many phases of the 20 ms period, each phase firing 5 ms after the
 * previous one: hundreds of callers on hold music then send a quarter of their frames at a time, not
 * all in one burst that every relayed packet of the same thread would queue behind.
 */
export const PHASES = 4;
const PHASE_MS = FRAME_MS / PHASES;
/** Ticks missed beyond this (e.g. a long GC pause) are dropped instead of bursting out. */
const MAX_CATCH_UP = 5;

export class MediaClock {
  private readonly phases: Set<TickListener>[] = Array.from({ length: PHASES }, () => new Set());
  private readonly phaseOf = new Map<TickListener, number>();
  private timer: NodeJS.Timeout | null = null;
  private startMs = 0;
  /** Phase steps run so far; a listener's tick is the number of whole periods begun. */
  private steps = 0;
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  get tick(): number {
    return Math.ceil(this.steps / PHASES);
  }

  get size(): number {
    return this.phaseOf.size;
  }

  /** Calls `listener` once every 20 ms, in the phase with the fewest listeners. */
  subscribe(listener: TickListener): () => void {
    if (!this.phaseOf.has(listener)) {
      let phase = 0;
      for (let p = 1; p < PHASES; p++) if (this.phases[p]!.size < this.phases[phase]!.size) phase = p;
      this.phases[phase]!.add(listener);
      this.phaseOf.set(listener, phase);
    }
    if (!this.timer) {
      this.startMs = this.now() - this.steps * PHASE_MS;
      this.schedule();
    }
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: TickListener): void {
    const phase = this.phaseOf.get(listener);
    if (phase === undefined) return;
    this.phaseOf.delete(listener);
    this.phases[phase]!.delete(listener);
    if (this.phaseOf.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private schedule(): void {
    const due = this.startMs + (this.steps + 1) * PHASE_MS;
    this.timer = setTimeout(this.run, Math.max(0, due - this.now()));
  }

  private readonly run = (): void => {
    this.timer = null;
    const now = this.now();
    let due = Math.floor((now - this.startMs) / PHASE_MS) - this.steps;
    if (due > MAX_CATCH_UP * PHASES) {
      this.startMs += (due - MAX_CATCH_UP * PHASES) * PHASE_MS;
      due = MAX_CATCH_UP * PHASES;
    }
    for (let i = 0; i < due; i++) {
      const phase = this.steps % PHASES;
      this.steps++;
      const tick = Math.ceil(this.steps / PHASES);
      for (const l of this.phases[phase]!) {
        try {
          l(tick);
        } catch {
          // one call's bug must not stop every other call's media
        }
      }
    }
    if (this.phaseOf.size > 0) this.schedule();
  };
}

/** The process-wide clock used by players, mixers, DTMF senders and housekeeping. */
export const sharedClock = new MediaClock();
