import { describe, expect, it } from 'vitest';
import { SipSourceGuard } from './sip-guard';

function guardAt(start = 1_000_000, trusted: string[] = []) {
  const clock = { now: start };
  const bans: string[] = [];
  const guard = new SipSourceGuard({
    limits: { requests: 3, windowMs: 1000, authFailures: 2, authWindowMs: 10_000, banMs: 5000 },
    isTrusted: (a) => trusted.includes(a),
    now: () => clock.now,
    onBan: (b) => bans.push(`${b.address}:${b.reason}`),
  });
  return { guard, clock, bans };
}

describe('SipSourceGuard', () => {
  it('bans an address over its request rate until the ban runs out; others are unaffected', () => {
    const { guard, clock, bans } = guardAt();
    expect([1, 2, 3].map(() => guard.admit('192.0.2.1'))).toEqual([true, true, true]);
    expect(guard.admit('192.0.2.1')).toBe(false);
    expect(bans).toEqual(['192.0.2.1:flood']);
    expect(guard.admit('192.0.2.2')).toBe(true);
    clock.now += 4999;
    expect(guard.admit('192.0.2.1')).toBe(false);
    clock.now += 1;
    expect(guard.admit('192.0.2.1')).toBe(true);
    expect(guard.bans()).toEqual([]);
    expect(guard.dropped).toBe(2);
  });

  it('counts requests per window: a steady pace under the limit is never banned', () => {
    const { guard, clock } = guardAt();
    for (let i = 0; i < 30; i++) {
      expect(guard.admit('192.0.2.1')).toBe(true);
      clock.now += 400;
    }
  });

  it('bans after too many failed authentications, lists the ban, and an unban lifts it', () => {
    const { guard, bans } = guardAt();
    expect(guard.authFailed('198.51.100.7')).toBe(false);
    expect(guard.authFailed('198.51.100.7')).toBe(true);
    expect(guard.bans()).toEqual([
      { address: '198.51.100.7', reason: 'auth_failures', since: 1_000_000, until: 1_005_000 },
    ]);
    expect(guard.admit('198.51.100.7')).toBe(false);
    expect(guard.unban('198.51.100.7')).toBe(true);
    expect(guard.unban('198.51.100.7')).toBe(false);
    expect(guard.admit('198.51.100.7')).toBe(true);
    expect(bans).toEqual(['198.51.100.7:auth_failures']);
  });

  it('never counts or bans a trusted address (a trunk)', () => {
    const { guard } = guardAt(1_000_000, ['203.0.113.5']);
    for (let i = 0; i < 100; i++) expect(guard.admit('203.0.113.5')).toBe(true);
    for (let i = 0; i < 10; i++) expect(guard.authFailed('203.0.113.5')).toBe(false);
    expect(guard.bans()).toEqual([]);
  });
});
