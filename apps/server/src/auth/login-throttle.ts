/**
 * Counts failed logins per key (account, client address) in a sliding window. After `limit` failures
 * in `windowMs` the key is locked until the oldest failure leaves the window.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `keys` may try again; 0 when none of them is locked. */
  retryAfterMs(keys: string[]): number {
    const t = this.now();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, t);
      if (recent.length >= this.limit) wait = Math.max(wait, recent[0]! + this.windowMs - t);
    }
    return wait;
  }

  recordFailure(keys: string[]): void {
    const t = this.now();
    for (const key of keys) {
      const recent = this.recent(key, t);
      recent.push(t);
      this.failures.set(key, recent);
    }
    if (this.failures.size > 50_000) this.prune(t);
  }

  recordSuccess(accountKey: string): void {
    this.failures.delete(accountKey);
  }

  private recent(key: string, t: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > t - this.windowMs);
  }

  private prune(t: number): void {
    for (const [key, times] of this.failures) {
      if (!times.some((at) => at > t - this.windowMs)) this.failures.delete(key);
    }
  }
}
