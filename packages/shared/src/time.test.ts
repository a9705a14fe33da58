import { describe, expect, it } from 'vitest';
import { isValidTimeZone, parseDateTime, toLocalInputValue } from './time';

describe('parseDateTime', () => {
  it('reads an instant with an offset, ignoring the time zone', () => {
    expect(parseDateTime('2026-05-01T10:00:00+02:00', 'America/New_York')).toEqual({
      utcMs: Date.UTC(2026, 4, 1, 8, 0, 0),
      dateOnly: false,
    });
    expect(parseDateTime('2026-05-01T10:00Z', 'UTC')?.utcMs).toBe(Date.UTC(2026, 4, 1, 10));
  });

  it('reads local wall time in the given zone, across DST', () => {
    // Berlin is UTC+1 in winter and UTC+2 in summer.
    expect(parseDateTime('2026-01-15T09:30', 'Europe/Berlin')?.utcMs).toBe(Date.UTC(2026, 0, 15, 8, 30));
    expect(parseDateTime('2026-07-15 09:30', 'Europe/Berlin')?.utcMs).toBe(Date.UTC(2026, 6, 15, 7, 30));
    expect(parseDateTime('2026-07-15T09:30', 'America/Los_Angeles')?.utcMs).toBe(
      Date.UTC(2026, 6, 15, 16, 30),
    );
  });

  it('reads a date alone as the start of that day and says so', () => {
    expect(parseDateTime('2026-03-02', 'Asia/Tokyo')).toEqual({
      utcMs: Date.UTC(2026, 2, 1, 15, 0),
      dateOnly: true,
    });
  });

  it('refuses impossible dates, unknown zones and other text', () => {
    expect(parseDateTime('2026-02-30T10:00', 'UTC')).toBeNull();
    expect(parseDateTime('2026-13-01', 'UTC')).toBeNull();
    expect(parseDateTime('2026-01-01T24:00', 'UTC')).toBeNull();
    expect(parseDateTime('tomorrow', 'UTC')).toBeNull();
    expect(parseDateTime('2026-01-01T10:00', 'Mars/Olympus')).toBeNull();
  });
});

describe('toLocalInputValue', () => {
  it('gives the wall time a datetime-local input shows', () => {
    expect(toLocalInputValue(Date.UTC(2026, 6, 15, 7, 30), 'Europe/Berlin')).toBe('2026-07-15T09:30');
    expect(toLocalInputValue(Date.UTC(2026, 6, 15, 7, 30), 'UTC')).toBe('2026-07-15T07:30');
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Nowhere/Else')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
