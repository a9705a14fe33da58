/** How a collection of digits ended. */
export type CollectEnd = 'max_digits' | 'terminator' | 'timeout' | 'hangup';

export interface CollectOptions {
  /** Stop after this many digits (the terminator is not counted). */
  maxDigits: number;
  /** A digit that ends the entry early and is not part of it, e.g. `#`. */
  terminator?: string;
  /** Nothing typed within this long: the collection ends empty with `timeout`. */
  firstDigitTimeoutMs: number;
  /** After the first digit, a pause this long ends the entry with what was typed (`timeout`). */
  interDigitTimeoutMs?: number;
}

export interface CollectResult {
  digits: string;
  end: CollectEnd;
}

type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Waiter {
  opts: CollectOptions;
  digits: string;
  timer: unknown;
  resolve(r: CollectResult): void;
}

/**
 * The digits one side of a call typed (RFC 4733 events or SIP INFO), in order. Digits typed while a
 * prompt plays are kept (type-ahead) and count toward the next collection, as callers expect from an
 * IVR; `clear()` drops them where a fresh entry is wanted.
 */
export class DigitBuffer {
  private queued = '';
  private waiter: Waiter | null = null;
  private closed = false;
  private readonly typedListeners = new Set<(digit: string) => void>();

  constructor(private readonly timers: Timers = realTimers) {}

  /** A digit arrived from the far end. */
  push(digit: string): void {
    if (this.closed) return;
    for (const l of this.typedListeners) l(digit);
    const w = this.waiter;
    if (!w) {
      this.queued += digit;
      return;
    }
    this.take(w, digit);
  }

  /** Called for each digit as it arrives (a prompt stops on the first one). */
  onDigit(listener: (digit: string) => void): () => void {
    this.typedListeners.add(listener);
    return () => this.typedListeners.delete(listener);
  }

  get pending(): string {
    return this.queued;
  }

  clear(): void {
    this.queued = '';
  }

  /** One collection at a time; a second one while the first runs is a script error. */
  collect(opts: CollectOptions): Promise<CollectResult> {
    if (!Number.isInteger(opts.maxDigits) || opts.maxDigits < 1) throw new Error('maxDigits must be ≥ 1');
    if (this.waiter) throw new Error('a collection is already running on this leg');
    if (this.closed) return Promise.resolve({ digits: '', end: 'hangup' });
    return new Promise<CollectResult>((resolve) => {
      const w: Waiter = { opts, digits: '', timer: null, resolve };
      this.waiter = w;
      const typed = this.queued;
      this.queued = '';
      for (let i = 0; i < typed.length; i++) {
        if (this.waiter !== w) {
          // Ended part-way: what was typed after the end stays for the next collection.
          this.queued = typed.slice(i) + this.queued;
          return;
        }
        this.take(w, typed[i]!);
      }
      if (this.waiter === w) this.arm(w);
    });
  }

  /** The leg ended: a running collection resolves with what it has. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const w = this.waiter;
    if (w) this.finish(w, 'hangup');
    this.typedListeners.clear();
  }

  private take(w: Waiter, digit: string): void {
    if (w.opts.terminator !== undefined && digit === w.opts.terminator) {
      this.finish(w, 'terminator');
      return;
    }
    w.digits += digit;
    if (w.digits.length >= w.opts.maxDigits) {
      this.finish(w, 'max_digits');
      return;
    }
    this.arm(w);
  }

  private arm(w: Waiter): void {
    if (w.timer !== null) this.timers.clearTimeout(w.timer);
    const ms =
      w.digits.length === 0
        ? w.opts.firstDigitTimeoutMs
        : (w.opts.interDigitTimeoutMs ?? w.opts.firstDigitTimeoutMs);
    w.timer = this.timers.setTimeout(() => this.finish(w, 'timeout'), ms);
  }

  private finish(w: Waiter, end: CollectEnd): void {
    if (this.waiter !== w) return;
    if (w.timer !== null) this.timers.clearTimeout(w.timer);
    w.timer = null;
    this.waiter = null;
    w.resolve({ digits: w.digits, end });
  }

  /** Timers armed (for leak checks): 0 or 1. */
  get armed(): number {
    return this.waiter?.timer != null ? 1 : 0;
  }
}
