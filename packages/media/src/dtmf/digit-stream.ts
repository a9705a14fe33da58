// What the IVR consumes: digits as they arrive, with "next digit within N ms" and "collect until #".

const MAX_TYPE_AHEAD = 32;

export type DigitListener = (digit: string) => void;

export interface CollectOptions {
  /** Stop after this many digits. */
  maxDigits?: number;
  /** Digit that ends the collection (not included in the result), e.g. '#'. */
  terminator?: string;
  /** Time allowed for the first digit. */
  firstDigitTimeoutMs?: number;
  /** Time allowed between digits. */
  interDigitTimeoutMs?: number;
  signal?: AbortSignal;
}

export class DigitStream {
  private readonly listeners = new Set<DigitListener>();
  /** Digits that arrived while nobody was collecting (type-ahead), consumed by the next collect. */
  private buffer: string[] = [];
  private collecting = 0;

  emit(digit: string): void {
    if (this.collecting === 0) {
      this.buffer.push(digit);
      // Keep type-ahead bounded: digits pressed during a long bridged call must not pile up forever.
      if (this.buffer.length > MAX_TYPE_AHEAD) this.buffer.shift();
    }
    for (const l of this.listeners) l(digit);
  }

  onDigit(listener: DigitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clearBuffer(): void {
    this.buffer = [];
  }

  /** Resolves with the next digit, or null on timeout. */
  nextDigit(timeoutMs: number, signal?: AbortSignal): Promise<string | null> {
    return this.collect({ maxDigits: 1, firstDigitTimeoutMs: timeoutMs, signal }).then((d) => d || null);
  }

  /** Collects digits; resolves with what was collected when a limit, the terminator or a timeout is hit. */
  collect(opts: CollectOptions): Promise<string> {
    const max = opts.maxDigits ?? Number.POSITIVE_INFINITY;
    const first = opts.firstDigitTimeoutMs ?? 10_000;
    const inter = opts.interDigitTimeoutMs ?? first;
    return new Promise<string>((resolve) => {
      let got = '';
      let timer: NodeJS.Timeout | undefined;
      let off: (() => void) | undefined;
      const finish = () => {
        clearTimeout(timer);
        off?.();
        opts.signal?.removeEventListener('abort', finish);
        this.collecting--;
        resolve(got);
      };
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(finish, ms);
      };
      const take = (d: string): boolean => {
        if (opts.terminator !== undefined && d === opts.terminator) return true;
        got += d;
        return got.length >= max;
      };
      this.collecting++;
      if (opts.signal?.aborted) return finish();
      opts.signal?.addEventListener('abort', finish, { once: true });
      while (this.buffer.length > 0) {
        if (take(this.buffer.shift()!)) return finish();
      }
      off = this.onDigit((d) => {
        if (take(d)) finish();
        else arm(inter);
      });
      arm(got.length > 0 ? inter : first);
    });
  }
}
