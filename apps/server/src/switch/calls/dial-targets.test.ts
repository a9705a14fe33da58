import { describe, expect, it } from 'vitest';
import type { TrunkRoute } from '../contracts';
import { trunkRequestUri, trunkTarget } from './dial-targets';

const trunk = (over: Partial<TrunkRoute> = {}): TrunkRoute => ({
  trunkId: 1,
  name: 'carrier',
  uri: 'sip:carrier.example.com:5070',
  transport: 'UDP',
  credentials: null,
  callerId: null,
  ...over,
});

describe('trunk dial targets', () => {
  it('puts the number in the trunk URI, keeping the host and port', () => {
    expect(trunkRequestUri('sip:carrier.example.com:5070', '+14155550100')).toBe(
      'sip:+14155550100@carrier.example.com:5070',
    );
    expect(trunkRequestUri('sip:old@carrier.example.com', '100')).toBe('sip:100@carrier.example.com');
    expect(trunkRequestUri('tel:+1', '100')).toBeNull();
  });

  it("tells the trunk each outbound INVITE's final status", () => {
    const seen: Array<[string, number | undefined]> = [];
    const target = trunkTarget(trunk({ countCall: (d, s) => seen.push([d, s]) }), '+14155550100');
    target?.onFinal?.(486);
    target?.onFinal?.(200);
    expect(seen).toEqual([
      ['outbound', 486],
      ['outbound', 200],
    ]);
    expect(trunkTarget(trunk(), '100')?.onFinal).toBeUndefined();
  });
});
