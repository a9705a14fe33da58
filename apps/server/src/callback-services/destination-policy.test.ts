import { describe, expect, it } from 'vitest';
import { checkDestination, isHiddenCallerId } from './destination-policy';

describe('destination policy', () => {
  const open = { allowedCountries: [], blockedPrefixes: [] };
  it('refuses premium-rate numbers whatever the service allows', () => {
    expect(checkDestination('+19005550123', open)).toBe('premium');
    expect(checkDestination('+14153829175', open)).toBeNull();
  });
  it('refuses blocked prefixes and countries not allowed', () => {
    expect(checkDestination('+882345678901', { allowedCountries: [], blockedPrefixes: ['+882'] })).toBe(
      'blocked_prefix',
    );
    const usOnly = { allowedCountries: ['US'], blockedPrefixes: [] };
    expect(checkDestination('+14153829175', usOnly)).toBeNull();
    expect(checkDestination('+442079460958', usOnly)).toBe('country_not_allowed');
    expect(checkDestination('+14165550199', usOnly)).toBe('country_not_allowed'); // Toronto
  });
  it('treats a missing or withheld caller ID as hidden', () => {
    for (const n of [null, '', 'anonymous', 'Anonymous', 'private', 'unknown', 'restricted', 'abc'])
      expect(isHiddenCallerId(n)).toBe(true);
    expect(isHiddenCallerId('+14155550132')).toBe(false);
    expect(isHiddenCallerId('5550132')).toBe(false);
  });
});
