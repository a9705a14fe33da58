import { describe, expect, it } from 'vitest';
import { containsPattern, searchTerms } from './search';

describe('containsPattern', () => {
  it('takes LIKE wildcards literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
    expect(containsPattern('ann')).toBe('%ann%');
  });
});

describe('searchTerms', () => {
  it('reads a number fragment as digits', () => {
    expect(searchTerms(' 555-12 ')).toEqual({ name: '555-12', digits: '55512' });
    expect(searchTerms('+1 (415)')).toEqual({ name: '+1 (415)', digits: '1415' });
  });
  it('reads text as a name only', () => {
    expect(searchTerms('Olivia')).toEqual({ name: 'olivia', digits: null });
    expect(searchTerms('Room 101')).toEqual({ name: 'room 101', digits: null });
    expect(searchTerms('7')).toEqual({ name: '7', digits: null });
  });
});
