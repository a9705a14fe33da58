import { describe, expect, it } from 'vitest';
import { maskNumber, masksFor } from './masking';

const partial = { mode: 'partial', keepFirst: 2, keepLast: 2, exemptSupervisors: true } as const;

describe('maskNumber', () => {
  it('keeps the first and last digits (seed 004: 59****40)', () => {
    expect(maskNumber('59123440', partial)).toBe('59****40');
    expect(maskNumber('+1 (202) 555-0143', partial)).toBe('+12*******43');
  });
  it('hides the whole number in mode all', () => {
    expect(maskNumber('59123440', { ...partial, mode: 'all' })).toBe('********');
  });
  it('leaves numbers alone when off', () => {
    expect(maskNumber('+12025550143', { ...partial, mode: 'off' })).toBe('+12025550143');
  });
  it('hides a number too short to keep anything hidden', () => {
    expect(maskNumber('1234', partial)).toBe('****');
  });
});

describe('masksFor', () => {
  it('exempts supervisors and admins only when set', () => {
    expect(masksFor('agent', partial)).toBe(true);
    expect(masksFor('supervisor', partial)).toBe(false);
    expect(masksFor('admin', { ...partial, exemptSupervisors: false })).toBe(true);
    expect(masksFor('agent', { ...partial, mode: 'off' })).toBe(false);
  });
});
