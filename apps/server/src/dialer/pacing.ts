/** Outbound limits: calls started per second and calls up at once, for all calls and per trunk. */
export interface DialerLimits {
  callsPerSecond: number;
  maxConcurrent: number;
  /** Tighter limits for jobs bound to one trunk (the carrier's own caps). */
  trunks?: Record<number, { callsPerSecond?: number; maxConcurrent?: number }>;
}

/**
 * A token bucket (one second of burst) and a concurrency count. Work that finds no room waits for
 * the next token or a call's end; nothing is turned away.
 */
export class Pace {
  private tokens: number;
  private last: number;
  active = 0;

  constructor(
    private callsPerSecond: number,
    private maxConcurrent: number,
    now: number,
  ) {
    this.tokens = Math.max(1, callsPerSecond);
    this.last = now;
  }

  private refill(now: number): void {
    const capacity = Math.max(1, this.callsPerSecond);
    this.tokens = Math.min(capacity, this.tokens + ((now - this.last) / 1000) * this.callsPerSecond);
    this.last = now;
  }

  /** New caps; the calls up stay counted and the tokens earned so far are kept, up to the new burst. */
  retune(callsPerSecond: number, maxConcurrent: number, now: number): void {
    this.refill(now);
    this.callsPerSecond = callsPerSecond;
    this.maxConcurrent = maxConcurrent;
    this.tokens = Math.min(this.tokens, Math.max(1, callsPerSecond));
  }

  /** How many calls may start now. */
  room(now: number): number {
    this.refill(now);
    return Math.max(0, Math.min(Math.floor(this.tokens), this.maxConcurrent - this.active));
  }

  take(n: number): void {
    this.tokens -= n;
    this.active += n;
  }

  release(): void {
    this.active = Math.max(0, this.active - 1);
  }

  /** Milliseconds until the next token, or null when only a call's end can make room. */
  msToNextToken(now: number): number | null {
    this.refill(now);
    if (this.active >= this.maxConcurrent) return null;
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) / this.callsPerSecond) * 1000);
  }
}
