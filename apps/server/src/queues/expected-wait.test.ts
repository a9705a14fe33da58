import { describe, expect, it } from 'vitest';
import { announcedMinutes, EXPECTED_WAIT_WINDOW_MS, expectedWaitS } from './expected-wait';

const now = 10_000_000;

describe('expected wait from recent answered calls', () => {
  it('is position × the mean gap between answers while callers were waiting', () => {
    // Answers 120 s apart, each caller having waited 300 s: the queue moves one position per 2 min.
    const recent = [0, 1, 2].map((i) => ({
      startedAt: now - 600_000 + i * 120_000,
      answeredAt: now - 300_000 + i * 120_000,
    }));
    expect(expectedWaitS(1, recent, now)).toBe(120);
    expect(expectedWaitS(3, recent, now)).toBe(360);
  });

  it('does not count idle time: a gap counts at most the later call’s own hold time', () => {
    const recent = [
      { startedAt: now - 900_000, answeredAt: now - 890_000 },
      // 10 minutes later, answered after 20 s: the agents were free, not slow.
      { startedAt: now - 290_000, answeredAt: now - 270_000 },
    ];
    expect(expectedWaitS(2, recent, now)).toBe(40);
  });

  it('uses the single recent call’s hold time, ignores calls older than the window, null without history', () => {
    expect(expectedWaitS(2, [{ startedAt: now - 95_000, answeredAt: now - 5_000 }], now)).toBe(180);
    const old = now - EXPECTED_WAIT_WINDOW_MS - 1;
    expect(expectedWaitS(1, [{ startedAt: old - 60_000, answeredAt: old }], now)).toBeNull();
    expect(expectedWaitS(1, [], now)).toBeNull();
  });

  it('announces whole minutes rounded up, never zero', () => {
    expect([0, 1, 60, 61, 150].map(announcedMinutes)).toEqual([1, 1, 1, 2, 3]);
  });
});
