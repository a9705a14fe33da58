import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatTime,
  fromDateTimeInput,
  startOfDay,
  startOfMonth,
  toDateTimeInput,
} from './format';

describe('format', () => {
  const t = Date.UTC(2026, 4, 12, 12, 5);
  it('shows one instant in each viewer zone, in the viewer locale', () => {
    expect(formatDateTime(t, 'UTC', 'en-GB')).toBe('12 May 2026, 12:05');
    expect(formatDateTime(t, 'Asia/Tokyo', 'en-GB')).toBe('12 May 2026, 21:05');
    expect(formatDateTime(t, 'America/New_York', 'en-US')).toBe('May 12, 2026, 8:05 AM');
    expect(formatDateTime(t, 'Europe/Berlin', 'de-DE')).toBe('12.05.2026, 14:05');
    expect(formatDate(Date.UTC(2026, 4, 12, 2), 'America/Los_Angeles', 'en-GB')).toBe('11 May 2026');
    expect(formatTime(t, 'Asia/Kolkata', 'en-GB')).toBe('17:35:00');
  });
  it('reads typed wall times in the viewer zone and writes them back', () => {
    expect(fromDateTimeInput('2026-05-12T21:05', 'Asia/Tokyo')).toBe(t);
    expect(fromDateTimeInput('2026-05-12T08:05', 'America/New_York')).toBe(t);
    expect(toDateTimeInput(t, 'Asia/Tokyo')).toBe('2026-05-12T21:05');
    expect(fromDateTimeInput('', 'UTC')).toBeNull();
    expect(fromDateTimeInput('not a date', 'UTC')).toBeNull();
  });
  it('finds the start of the day and the month in the viewer zone', () => {
    // 12 May 02:00 UTC is still 11 May in Los Angeles (UTC-7 in summer).
    const early = Date.UTC(2026, 4, 12, 2);
    expect(startOfDay(early, 'America/Los_Angeles')).toBe(Date.UTC(2026, 4, 11, 7));
    expect(startOfDay(early, 'America/Los_Angeles', 1)).toBe(Date.UTC(2026, 4, 10, 7));
    expect(startOfDay(early, 'Asia/Tokyo')).toBe(Date.UTC(2026, 4, 11, 15));
    expect(startOfMonth(early, 'Asia/Tokyo')).toBe(Date.UTC(2026, 3, 30, 15));
  });
  it('shows durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(0)).toBe('0:00');
  });
});
