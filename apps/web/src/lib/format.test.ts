import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDuration } from './format';

describe('format', () => {
  const t = Date.UTC(2026, 4, 12, 12, 5);
  it('shows date and time in the given zone', () => {
    expect(formatDateTime(t, 'UTC')).toBe('12 May 2026, 12:05');
    expect(formatDateTime(t, 'Asia/Tokyo')).toBe('12 May 2026, 21:05');
    expect(formatDate(t, 'America/Los_Angeles')).toBe('12 May 2026');
  });
  it('shows durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(0)).toBe('0:00');
  });
});
