import { describe, expect, it } from 'vitest';
import { checkOutsideNumber } from './outside-number';

describe('checkOutsideNumber', () => {
  it('accepts a formatted international number as E.164', () => {
    expect(checkOutsideNumber('+1 (202) 555-0177')).toEqual({ number: '+12025550177' });
  });

  it('refuses an impossible international number', () => {
    expect(checkOutsideNumber('+1 55')).toEqual({ error: 'This is not a valid international number' });
  });

  it('passes national digits to the switch', () => {
    expect(checkOutsideNumber('020 7946 0018')).toEqual({ number: '02079460018' });
  });

  it('refuses empty, lettered and too short input', () => {
    expect(checkOutsideNumber('  ')).toEqual({ error: 'Enter the number to transfer to' });
    expect(checkOutsideNumber('1-800-FLOWERS')).toEqual({
      error: 'Use digits only, with an optional + in front',
    });
    expect(checkOutsideNumber('12')).toEqual({ error: 'A phone number has 3 to 15 digits' });
  });
});
