import type { SoftphoneIceServers } from '@switchboard/shared';

/** After a failed renewal, the next try (the credentials in hand still work for a while). */
export const RENEWAL_RETRY_MS = 30_000;

/**
 * Keeps a softphone's short-lived TURN credentials fresh: renews them when half of their remaining
 * life has gone (a call placed at any time gets a credential that outlives it by hours), hands each
 * renewal to `apply`, and retries a failed renewal. A page asleep past the time renews as it wakes.
 * Returns a function that stops it.
 */
export function renewIceServers(
  firstExpiry: number,
  fetchFresh: () => Promise<SoftphoneIceServers>,
  apply: (servers: SoftphoneIceServers['iceServers']) => void,
  clock: {
    now(): number;
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
  } = {
    now: Date.now,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  },
): () => void {
  let stopped = false;
  let timer: unknown = null;
  const at = (ms: number) => {
    timer = clock.setTimeout(() => void renew(), Math.max(0, ms));
  };
  const renew = async () => {
    try {
      const fresh = await fetchFresh();
      if (stopped) return;
      apply(fresh.iceServers);
      if (fresh.expiresAt !== null) at((fresh.expiresAt - clock.now()) / 2);
    } catch {
      if (!stopped) at(RENEWAL_RETRY_MS);
    }
  };
  at((firstExpiry - clock.now()) / 2);
  return () => {
    stopped = true;
    if (timer !== null) clock.clearTimeout(timer);
  };
}
