import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const opts = { baseMs: 1000, maxMs: 30_000, jitter: 0 };

  it('doubles from the base delay', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, opts))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never exceeds the maximum, even after many attempts', () => {
    expect(backoffDelay(5, opts)).toBe(30_000);
    expect(backoffDelay(1000, opts)).toBe(30_000);
  });

  it('treats negative and fractional attempts as whole attempts from zero', () => {
    expect(backoffDelay(-3, opts)).toBe(1000);
    expect(backoffDelay(1.7, opts)).toBe(2000);
  });

  it('spreads the delay by the jitter fraction both ways', () => {
    const j = { ...opts, jitter: 0.5 };
    expect(backoffDelay(1, j, () => 0)).toBe(1000);
    expect(backoffDelay(1, j, () => 0.5)).toBe(2000);
    expect(backoffDelay(1, j, () => 0.999_999)).toBe(3000);
  });

  it('keeps jittered delays within the maximum', () => {
    expect(backoffDelay(10, { ...opts, jitter: 0.5 }, () => 0.999)).toBe(30_000);
  });
});
