import { describe, expect, it } from 'vitest';
import { offersCallback } from './virtual-hold';

const config = { thresholdS: 120, mode: 'customer_first' as const, maxAttempts: 3, retryDelayS: 60 };

describe('offersCallback', () => {
  it('offers when the expected wait reaches the threshold, never when the queue does not allow it', () => {
    expect(offersCallback(config, 119)).toBe(false);
    expect(offersCallback(config, 120)).toBe(true);
    expect(offersCallback(null, 600)).toBe(false);
  });

  it('an unknown wait (no recent answered call) is offered only with threshold 0', () => {
    expect(offersCallback(config, null)).toBe(false);
    expect(offersCallback({ ...config, thresholdS: 0 }, null)).toBe(true);
  });
});
