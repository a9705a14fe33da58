import { describe, expect, it } from 'vitest';
import { rateOf, ratePeriods } from './rate-periods';

describe('ratePeriods', () => {
  it('covers the month so far and the whole of yesterday', () => {
    const now = new Date(2026, 4, 12, 15, 30);
    const { month, yesterday } = ratePeriods(now);
    expect(month).toEqual({ from: new Date(2026, 4, 1).getTime(), to: now.getTime() });
    expect(yesterday).toEqual({
      from: new Date(2026, 4, 11).getTime(),
      to: new Date(2026, 4, 12).getTime() - 1,
    });
  });

  it('takes yesterday from the previous month on the first day', () => {
    const { yesterday } = ratePeriods(new Date(2026, 2, 1, 9, 0));
    expect(yesterday.from).toBe(new Date(2026, 1, 28).getTime());
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
