import { describe, expect, it } from 'vitest';
import { rateOf, ratePeriods } from './rate-periods';

describe('ratePeriods', () => {
  it('covers the month so far and the whole of yesterday', () => {
    const now = Date.UTC(2026, 4, 12, 15, 30);
    const { month, yesterday } = ratePeriods(now, 'UTC');
    expect(month).toEqual({ from: Date.UTC(2026, 4, 1), to: now });
    expect(yesterday).toEqual({ from: Date.UTC(2026, 4, 11), to: Date.UTC(2026, 4, 12) - 1 });
  });

  it("counts days in the agent's time zone, not UTC", () => {
    // 15:30 UTC on 12 May is already 13 May in Tokyo (UTC+9).
    const { yesterday } = ratePeriods(Date.UTC(2026, 4, 12, 15, 30), 'Asia/Tokyo');
    expect(yesterday).toEqual({ from: Date.UTC(2026, 4, 11, 15), to: Date.UTC(2026, 4, 12, 15) - 1 });
  });

  it('takes yesterday from the previous month on the first day', () => {
    const { yesterday } = ratePeriods(Date.UTC(2026, 2, 1, 9, 0), 'UTC');
    expect(yesterday.from).toBe(Date.UTC(2026, 1, 28));
  });
});

describe('rateOf', () => {
  it('splits answered and not answered with a rounded percent', () => {
    expect(rateOf({ answered: 2, notAnswered: 1 })).toEqual({ answered: 2, notAnswered: 1, percent: 67 });
  });
  it('has no percent without calls', () => {
    expect(rateOf({ answered: 0, notAnswered: 0 })).toEqual({ answered: 0, notAnswered: 0, percent: null });
  });
});
