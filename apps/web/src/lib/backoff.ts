export interface BackoffOptions {
  /** First delay (attempt 0). */
  baseMs: number;
  /** Upper bound for any delay. */
  maxMs: number;
  /** Fraction of the delay drawn at random (0 = none, 0.5 = ±50 %), so many tabs do not reconnect in step. */
  jitter?: number;
}

/**
 * Exponential backoff with jitter: base × 2^attempt, capped at max, then spread by ±jitter.
 * `random` is injectable for tests (returns [0, 1)).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const { baseMs, maxMs, jitter = 0.2 } = options;
  const n = Math.max(0, Math.floor(attempt));
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(n, 30));
  const spread = raw * jitter * (random() * 2 - 1);
  return Math.max(0, Math.min(maxMs, Math.round(raw + spread)));
}
