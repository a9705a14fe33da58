import { describe, expect, it } from 'vitest';
import { billedSeconds, costMicros, costMinor, maxDurationSeconds } from './billing';
import { RateIndex } from './rate-index';

const perMinute = {
  pricePerMinuteMicros: 60_000,
  connectFeeMicros: 0,
  initialIncrementS: 60,
  incrementS: 60,
};
const thirtySix = { pricePerMinuteMicros: 60_000, connectFeeMicros: 0, initialIncrementS: 30, incrementS: 6 };
const perSecond = { pricePerMinuteMicros: 60_000, connectFeeMicros: 0, initialIncrementS: 1, incrementS: 1 };

describe('billing increments', () => {
  it('rounds up by the first increment, then by each next one', () => {
    expect(billedSeconds(perMinute, 0)).toBe(0);
    expect(billedSeconds(perMinute, 1)).toBe(60);
    expect(billedSeconds(perMinute, 60)).toBe(60);
    expect(billedSeconds(perMinute, 61)).toBe(120);
    expect(billedSeconds(thirtySix, 5)).toBe(30);
    expect(billedSeconds(thirtySix, 31)).toBe(36);
    expect(billedSeconds(thirtySix, 36)).toBe(36);
    expect(billedSeconds(thirtySix, 37)).toBe(42);
    expect(billedSeconds(perSecond, 0.2)).toBe(1);
    expect(billedSeconds(perSecond, 61)).toBe(61);
  });

  it('costs the connect fee plus the billed seconds, rounded up to the minor unit', () => {
    // 0.06/min = 1000 micros a second
    expect(costMicros(thirtySix, 31)).toBe(36_000);
    expect(costMicros({ ...thirtySix, connectFeeMicros: 50_000 }, 31)).toBe(86_000);
    expect(costMicros({ ...thirtySix, connectFeeMicros: 50_000 }, 0)).toBe(0);
    expect(costMinor(thirtySix, 31, 10_000)).toBe(4); // 0.036 → 0.04
    expect(costMinor(perMinute, 61, 10_000)).toBe(12);
    // 0.01/min for 7 s per second: 1166.67 micros → 1167 micros → 1 cent
    expect(costMicros({ ...perSecond, pricePerMinuteMicros: 10_000 }, 7)).toBe(1167);
    expect(costMinor({ ...perSecond, pricePerMinuteMicros: 10_000 }, 7, 10_000)).toBe(1);
  });

  it('gives the longest call the balance pays for, on an increment boundary', () => {
    expect(maxDurationSeconds(perMinute, 6, 10_000, 14_400)).toBe(60); // 0.06 → one minute
    expect(maxDurationSeconds(perMinute, 11, 10_000, 14_400)).toBe(60);
    expect(maxDurationSeconds(perMinute, 12, 10_000, 14_400)).toBe(120);
    expect(maxDurationSeconds(perMinute, 5, 10_000, 14_400)).toBe(0); // not one increment
    expect(maxDurationSeconds(thirtySix, 3, 10_000, 14_400)).toBe(30);
    expect(maxDurationSeconds(thirtySix, 4, 10_000, 14_400)).toBe(36); // 0.036 ≤ 0.04 < 0.042
    expect(maxDurationSeconds({ ...thirtySix, connectFeeMicros: 50_000 }, 5, 10_000, 14_400)).toBe(0);
    expect(maxDurationSeconds({ ...thirtySix, connectFeeMicros: 50_000 }, 8, 10_000, 14_400)).toBe(30);
    expect(maxDurationSeconds({ ...perMinute, pricePerMinuteMicros: 0 }, 0, 10_000, 14_400)).toBe(14_400);
    expect(maxDurationSeconds(perSecond, 1_000_000, 10_000, 3600)).toBe(3600);
    expect(maxDurationSeconds(perSecond, -1, 10_000, 3600)).toBe(0);
  });

  it('never quotes a duration whose cost exceeds the balance', () => {
    const rates = [
      perMinute,
      thirtySix,
      perSecond,
      { ...thirtySix, pricePerMinuteMicros: 37_777, connectFeeMicros: 12_345 },
    ];
    for (const rate of rates) {
      for (let available = 0; available < 500; available += 7) {
        const s = maxDurationSeconds(rate, available, 10_000, 100_000);
        if (s === 0) {
          expect(costMinor(rate, 1, 10_000)).toBeGreaterThan(available);
          continue;
        }
        expect(costMinor(rate, s, 10_000)).toBeLessThanOrEqual(available);
        expect(costMinor(rate, s + 1, 10_000)).toBeGreaterThan(available);
      }
    }
  });
});

describe('RateIndex', () => {
  const rate = (id: number, prefix: string, effectiveFrom = 0) => ({
    ...perMinute,
    id,
    rateTableId: 1,
    prefix,
    description: null,
    effectiveFrom,
  });

  it('picks the longest matching prefix', () => {
    const index = new RateIndex([rate(1, '1'), rate(2, '44'), rate(3, '447'), rate(4, '4479')]);
    expect(index.lookup('14155550132', 0)?.id).toBe(1);
    expect(index.lookup('442079460958', 0)?.id).toBe(2);
    expect(index.lookup('447700900123', 0)?.id).toBe(3);
    expect(index.lookup('447912345678', 0)?.id).toBe(4);
    expect(index.lookup('33123456789', 0)).toBeNull();
  });

  it('applies the rate in force at the time: the newest effective date not in the future', () => {
    const jan = Date.parse('2026-01-01T00:00:00Z');
    const feb = Date.parse('2026-02-01T00:00:00Z');
    const index = new RateIndex([rate(1, '44'), rate(2, '44', feb), rate(3, '447', feb)]);
    expect(index.lookup('447700900123', jan)?.id).toBe(1); // 447 is not in force yet: 44 applies
    expect(index.lookup('447700900123', feb)?.id).toBe(3);
    expect(index.lookup('442079460958', feb + 1)?.id).toBe(2);
  });
});
