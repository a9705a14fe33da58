import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('locks a key after five failures a minute and releases it when the window passes', () => {
    let now = 1_000_000;
    const t = new LoginThrottle(5, 60_000, () => now);
    for (let i = 0; i < 4; i++) t.recordFailure(['user:alice', 'ip:1']);
    expect(t.retryAfterMs(['user:alice'])).toBe(0);
    now += 10_000;
    t.recordFailure(['user:alice', 'ip:1']);
    expect(t.retryAfterMs(['user:alice'])).toBe(50_000);
    expect(t.retryAfterMs(['user:bob', 'ip:1'])).toBe(50_000);
    now += 50_001;
    expect(t.retryAfterMs(['user:alice'])).toBe(0);
  });

  it('forgets an account failures after a success', () => {
    const t = new LoginThrottle(2, 60_000, () => 5);
    t.recordFailure(['user:a']);
    t.recordSuccess('user:a');
    t.recordFailure(['user:a']);
    expect(t.retryAfterMs(['user:a'])).toBe(0);
  });
});
