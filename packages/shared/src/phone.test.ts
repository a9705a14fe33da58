import { describe, expect, it } from 'vitest';
import { digitsOnly, toE164 } from './phone';

describe('toE164', () => {
  it('normalises a national number with a default country', () => {
    expect(toE164('(202) 555-0143', 'US')).toBe('+12025550143');
  });
  it('keeps an international number', () => {
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958');
  });
  it('rejects text that cannot be a number', () => {
    expect(toE164('hello', 'US')).toBeNull();
    expect(toE164('12', 'US')).toBeNull();
  });
});

describe('digitsOnly', () => {
  it('drops every non-digit', () => {
    expect(digitsOnly('+1 (202) 555-0143')).toBe('12025550143');
  });
});
