import type { VirtualHoldConfig } from './types';

/** With announcements off, waiting callers hear the callback offer this often. */
export const VIRTUAL_HOLD_OFFER_INTERVAL_S = 30;

/**
 * Whether a waiting caller is offered a callback now: the queue allows it and the expected wait
 * (expected-wait.ts; null when the queue has no recent answered call to go by) is at least the
 * threshold. An unknown wait is offered only when the threshold is 0 (always offer).
 */
export function offersCallback(config: VirtualHoldConfig | null, expectedWaitS: number | null): boolean {
  if (!config) return false;
  if (config.thresholdS <= 0) return true;
  return expectedWaitS !== null && expectedWaitS >= config.thresholdS;
}
