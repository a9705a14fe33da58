import { expect, it } from 'vitest';
import { SessionStore } from '../src/auth/sessions';
import { describeEachDatabase } from './test-system';

describeEachDatabase('session timeouts', (sys) => {
  it('ends a session after the idle timeout and at the absolute limit', async () => {
    let now = 1_800_000_000_000;
    const store = new SessionStore(sys().db, 30 * 60_000, 8 * 3_600_000, () => now);
    const user = await sys()
      .db.selectFrom('users')
      .select('id')
      .where('username', '=', 'alice')
      .executeTakeFirstOrThrow();

    const idle = await store.create('user', { userId: user.id });
    now += 29 * 60_000;
    expect(await store.resolve(idle, 'user')).not.toBeNull();
    now += 29 * 60_000; // touched 29 min ago, so still alive
    expect(await store.resolve(idle, 'user')).not.toBeNull();
    now += 31 * 60_000;
    expect(await store.resolve(idle, 'user')).toBeNull();

    const busy = await store.create('user', { userId: user.id });
    // used every 29 minutes it never idles out, but the absolute limit (8 h) still ends it
    const seen: boolean[] = [];
    for (let i = 1; i <= 18; i++) {
      now += 29 * 60_000;
      seen.push((await store.resolve(busy, 'user')) !== null);
    }
    expect(seen).toEqual(Array.from({ length: 18 }, (_, k) => (k + 1) * 29 < 480));
  });

  it('does not accept a token of the wrong kind or a made-up token', async () => {
    const store = new SessionStore(sys().db, 60_000, 3_600_000);
    const user = await sys()
      .db.selectFrom('users')
      .select('id')
      .where('username', '=', 'bob')
      .executeTakeFirstOrThrow();
    const token = await store.create('user', { userId: user.id });
    expect(await store.resolve(token, 'subscriber')).toBeNull();
    expect(await store.resolve('A'.repeat(43), 'user')).toBeNull();
    await store.destroy(token);
    expect(await store.resolve(token, 'user')).toBeNull();
  });
});
