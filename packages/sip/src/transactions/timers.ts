/** RFC 3261 §17.1.1.1 and Table 4 timer base values, in milliseconds. */
export interface TimerConfig {
  /** RTT estimate (default 500 ms). */
  T1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses (default 4 s). */
  T2: number;
  /** Maximum time a message stays in the network (default 5 s). */
  T4: number;
}

export const DEFAULT_TIMERS: TimerConfig = { T1: 500, T2: 4000, T4: 5000 };

/** A named one-shot timer that can be restarted; `setTimeout` is used directly so fake timers work in tests. */
export class Timer {
  private handle: ReturnType<typeof setTimeout> | undefined;
  constructor(readonly name: string) {}
  start(ms: number, fn: () => void): void {
    this.stop();
    this.handle = setTimeout(() => {
      this.handle = undefined;
      fn();
    }, ms);
    // Timers must never keep a process alive on their own.
    this.handle.unref?.();
  }
  stop(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
  }
  get running(): boolean {
    return this.handle !== undefined;
  }
}
