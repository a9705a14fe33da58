import { describe, expect, it } from 'vitest';
import { defaultDueInput } from './due-time';

describe('defaultDueInput', () => {
  it('rounds up to the next whole hour at least half an hour ahead, in the viewer’s zone', () => {
    expect(defaultDueInput(Date.UTC(2026, 4, 1, 9, 10), 'UTC')).toBe('2026-05-01T10:00');
    expect(defaultDueInput(Date.UTC(2026, 4, 1, 9, 40), 'UTC')).toBe('2026-05-01T11:00');
    expect(defaultDueInput(Date.UTC(2026, 4, 1, 9, 10), 'Europe/Berlin')).toBe('2026-05-01T12:00');
  });
});
