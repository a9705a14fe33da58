// Failed sign-ins counted in the database: the throttle's window and lock on both databases, and two
// nodes on one PostgreSQL meeting one limit, so guesses spread over the nodes behind a load balancer
// are not five per node.
import { describe, expect, it } from 'vitest';
import { StoredSignInThrottle } from '../src/auth/sign-in-throttle';
import { deferrer } from './defer';
import { describeEachDatabase, startTwoNodes } from './test-system';

describeEachDatabase('stored sign-in throttle', (system) => {
  it('locks a key after five failures in a minute, until the oldest leaves the window', async () => {
    let now = 1_000_000;
    const t = new StoredSignInThrottle(system().db, 'window-test', 5, 60_000, () => now);
    for (let i = 0; i < 4; i++) await t.recordFailure(['alice', 'ip:1']);
    expect(await t.retryAfterMs(['alice'])).toBe(0);
    now += 10_000;
    await t.recordFailure(['alice', 'ip:1']);
    expect(await t.retryAfterMs(['alice'])).toBe(50_000);
    // Any locked key of those asked about locks the attempt.
    expect(await t.retryAfterMs(['bob', 'ip:1'])).toBe(50_000);
    expect(await t.retryAfterMs(['bob'])).toBe(0);
    // Another throttle's keys are counted apart.
    const other = new StoredSignInThrottle(system().db, 'other-test', 1, 60_000, () => now);
    expect(await other.retryAfterMs(['alice'])).toBe(0);
    now += 50_001;
    expect(await t.retryAfterMs(['alice'])).toBe(0);
  });

  it('forgets an account’s failures after a right password, and clears old failures as it goes', async () => {
    let now = 2_000_000;
    const db = system().db;
    const t = new StoredSignInThrottle(db, 'success-test', 2, 60_000, () => now);
    await t.recordFailure(['carol']);
    await t.recordSuccess('carol');
    await t.recordFailure(['carol']);
    expect(await t.retryAfterMs(['carol'])).toBe(0);
    now += 120_000;
    await t.recordFailure(['dave']);
    const kept = await db
      .selectFrom('sign_in_failures')
      .select('key')
      .where('scope', '=', 'success-test')
      .execute();
    expect(kept).toEqual([{ key: 'dave' }]);
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;
const suite = pgUrl ? describe : describe.skip;
suite(`sign-in throttle on two nodes${pgUrl ? '' : ' — skipped: set TEST_DATABASE_URL to run'}`, () => {
  it('failures on either node count together: five spread over two nodes lock the account on both', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const [nodeA, nodeB] = await startTwoNodes(defer);
    const a = nodeA.client();
    const b = nodeB.client();
    for (let i = 0; i < 5; i++) {
      const res = await (i % 2 ? b : a).post('/api/auth/login', { username: 'bob', password: `bad${i}` });
      expect(res.status).toBe(401);
    }
    for (const node of [a, b]) {
      const locked = await node.post('/api/auth/login', { username: 'bob', password: 'bob' });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect((await b.post('/api/auth/login', { username: 'alice', password: 'alice' })).status).toBe(200);
  });
});
