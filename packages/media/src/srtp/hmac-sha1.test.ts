import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha1 } from './hmac-sha1';

describe('allocation-free HMAC-SHA1', () => {
  it('matches node:crypto for every message length around block boundaries, with and without a suffix', () => {
    const key = randomBytes(20);
    const mac = new HmacSha1(key);
    const out = Buffer.alloc(20);
    for (let len = 0; len <= 200; len++) {
      const data = randomBytes(len + 7);
      for (const suffix of [null, 0x01020304]) {
        const msg =
          suffix === null
            ? data.subarray(3, 3 + len)
            : Buffer.concat([data.subarray(3, 3 + len), Buffer.from([1, 2, 3, 4])]);
        const want = createHmac('sha1', key).update(msg).digest();
        mac.tag(data, 3, 3 + len, suffix, out, 0, 20);
        expect(out.toString('hex')).toBe(want.toString('hex'));
      }
    }
  });

  it('matches RFC 2202 test case 2', () => {
    const out = Buffer.alloc(20);
    const data = Buffer.from('what do ya want for nothing?');
    new HmacSha1(Buffer.from('Jefe')).tag(data, 0, data.length, null, out, 0, 20);
    expect(out.toString('hex')).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  });
});
