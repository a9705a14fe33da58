import { describe, expect, it } from 'vitest';
import { dialerCapValue, joinTrunkUri, splitTrunkUri, trunkFormErrors } from './trunk-form';

describe('trunk form', () => {
  it('splits a trunk URI into host and port and joins it back, keeping scheme and parameters', () => {
    expect(splitTrunkUri('sip:carrier.example.com:5070;transport=tcp')).toEqual({
      scheme: 'sip',
      host: 'carrier.example.com',
      port: '5070',
      params: ';transport=tcp',
    });
    expect(splitTrunkUri('sips:[2001:db8::1]')).toEqual({
      scheme: 'sips',
      host: '2001:db8::1',
      port: '',
      params: '',
    });
    const parts = splitTrunkUri('sip:10.0.0.1:5060;transport=tcp');
    expect(joinTrunkUri({ ...parts, host: 'sbc.example.net', port: '5080' })).toBe(
      'sip:sbc.example.net:5080;transport=tcp',
    );
    expect(joinTrunkUri({ scheme: 'sip', host: '2001:db8::2', port: '', params: '' })).toBe(
      'sip:[2001:db8::2]',
    );
  });
  it('asks for a host and a port in range before saving', () => {
    expect(trunkFormErrors({ host: '', port: '' })).toHaveProperty('host');
    expect(trunkFormErrors({ host: 'sip:carrier@x', port: '' })).toHaveProperty('host');
    expect(trunkFormErrors({ host: 'carrier.example.com', port: '70000' })).toHaveProperty('port');
    expect(trunkFormErrors({ host: 'carrier.example.com', port: '5060' })).toEqual({});
  });
  it('reads the dialer caps as typed: empty is none; text that is not a number is refused before saving', () => {
    expect(dialerCapValue('  ')).toBeNull();
    expect(dialerCapValue(' 2.5 ')).toBe(2.5);
    const base = { host: 'carrier.example.com', port: '' };
    expect(trunkFormErrors({ ...base, dialerCallsPerSecond: '2.5', dialerMaxConcurrent: '4' })).toEqual({});
    expect(trunkFormErrors({ ...base, dialerCallsPerSecond: 'lots' })).toHaveProperty('dialerCallsPerSecond');
    expect(trunkFormErrors({ ...base, dialerMaxConcurrent: '1.5' })).toHaveProperty('dialerMaxConcurrent');
  });
});
