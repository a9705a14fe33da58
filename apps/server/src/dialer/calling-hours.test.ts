import { describe, expect, it } from 'vitest';
import { nextCallingTime } from './calling-hours';

const hours = { from: '09:00', to: '20:00' };

describe('calling hours', () => {
  it('lets a call through inside the window of the number’s country', () => {
    // 10:00 in London
    const at = Date.UTC(2026, 0, 15, 10, 0);
    expect(nextCallingTime('+442071234567', hours, at)).toBe(at);
  });

  it('moves a call made at night to the next morning in the customer’s zone', () => {
    // 22:30 in London → 09:00 the next day
    const at = Date.UTC(2026, 0, 15, 22, 30);
    expect(nextCallingTime('+442071234567', hours, at)).toBe(Date.UTC(2026, 0, 16, 9, 0));
  });

  it('uses the customer record’s zone over the number’s country', () => {
    const at = Date.UTC(2026, 0, 15, 10, 0); // 10:00 UTC = 19:00 in Tokyo, inside
    expect(nextCallingTime('+442071234567', hours, at, 'Asia/Tokyo')).toBe(at);
    const late = Date.UTC(2026, 0, 15, 12, 0); // 21:00 in Tokyo → 09:00 Tokyo = 00:00 UTC next day
    expect(nextCallingTime('+442071234567', hours, late, 'Asia/Tokyo')).toBe(Date.UTC(2026, 0, 16, 0, 0));
  });

  it('holds a country with several zones to all of them', () => {
    // 14:00 UTC = 09:00 in New York but 04:00 in Honolulu: wait until 09:00 in Honolulu (19:00 UTC)
    const at = Date.UTC(2026, 0, 15, 14, 0);
    expect(nextCallingTime('+12025550123', hours, at)).toBe(Date.UTC(2026, 0, 15, 19, 0));
  });

  it('takes equal bounds as all day', () => {
    const at = Date.UTC(2026, 0, 15, 3, 0);
    expect(nextCallingTime('+442071234567', { from: '00:00', to: '00:00' }, at)).toBe(at);
  });

  it('does not hold a number of no known country', () => {
    const at = Date.UTC(2026, 0, 15, 3, 0);
    expect(nextCallingTime('12345', hours, at)).toBe(at);
  });
});
