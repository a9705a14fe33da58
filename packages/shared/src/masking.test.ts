import { describe, expect, it } from 'vitest';
import { maskNumber, maskNumbersInText, masksFor } from './masking';

const partial = { mode: 'partial', keepFirst: 2, keepLast: 2, exemptSupervisors: true } as const;

describe('maskNumber', () => {
  it('keeps the first and last digits', () => {
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

describe('maskNumbersInText', () => {
  const mask = (n: string) => maskNumber(n, partial);
  it('masks numbers written in any common way inside a display name', () => {
    expect(maskNumbersInText('+14155559876', mask)).toBe('+14*******76');
    expect(maskNumbersInText('Jane +1 (415) 555-9876', mask)).toBe('Jane +14*******76');
    expect(maskNumbersInText('call 415.555.9876 back', mask)).toBe('call 41******76 back');
    expect(maskNumbersInText('"4155559876" <sip:x>', mask)).not.toContain('5559876');
  });
  it('leaves names, extensions and short numbers alone', () => {
    expect(maskNumbersInText('Alice Smith', mask)).toBe('Alice Smith');
    expect(maskNumbersInText('Desk 1004', mask)).toBe('Desk 1004');
    expect(maskNumbersInText('+14155559876', (n) => n)).toBe('+14155559876');
  });
});
