import { describe, expect, it } from 'vitest';
import { checkPhone } from './phones';

describe('checkPhone', () => {
  it('normalises national and international numbers to E.164', () => {
    expect(checkPhone(' (202) 555-0143 ', 'US')).toEqual({ ok: true, e164: '+12025550143' });
    expect(checkPhone('+44 20 7946 0958', 'US')).toEqual({ ok: true, e164: '+442079460958' });
    expect(checkPhone('030 123456', 'DE')).toEqual({ ok: true, e164: '+4930123456' });
  });

  it('explains what is wrong', () => {
    expect(checkPhone('', 'US')).toMatchObject({ ok: false, message: /Enter a phone number/ });
    expect(checkPhone('call me', 'US')).toMatchObject({ ok: false, message: /not a phone number/ });
    expect(checkPhone('12', 'US')).toMatchObject({ ok: false });
    expect(checkPhone('+1 202 555 01434444', 'US')).toMatchObject({
      ok: false,
      message: /wrong number of digits/,
    });
  });
});
