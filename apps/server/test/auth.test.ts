import { expect, it } from 'vitest';
import { describeEachDatabase } from './test-system';

describeEachDatabase('authentication', (sys) => {
  it('signs in by agent name and by agent ID, and answers /me', async () => {
    const byName = sys().client();
    const res = await byName.login('alice');
    expect(res.body.user).toMatchObject({ username: 'alice', agentId: '1001', role: 'agent' });
    expect(res.body.user.extension).toEqual({ number: '1001', type: 'web', recordingEnabled: true });
    const me = await byName.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('alice');

    const byId = sys().client();
    const res2 = await byId.post('/api/auth/login', { username: '1004', password: 'dave' });
    expect(res2.status).toBe(200);
    expect(res2.body.user).toMatchObject({ username: 'dave', extension: { number: '1004', type: 'sip' } });
  });

  it('sets an HttpOnly SameSite=Strict session cookie that never holds the password', async () => {
    const c = sys().client();
    const res = await c.login('bob');
    const cookie = res.headers.getSetCookie().join('\n');
    expect(cookie).toMatch(/sb_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const token = /sb_session=([^;]+)/.exec(cookie)![1]!;
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const stored = await sys().db.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).not.toContain(token);
  });

  it('gives a new session on every login and ends it on logout', async () => {
    const a = sys().client();
    await a.login('carol');
    const first = a.cookieNames();
    const b = sys().client();
    await b.login('carol');
    expect(first).toEqual(['sb_session']);
    const out = await a.post('/api/auth/logout');
    expect(out.status).toBe(204);
    expect((await a.get('/api/auth/me')).status).toBe(401);
    expect((await b.get('/api/auth/me')).status).toBe(200);
  });

  it('answers wrong password and unknown user the same way', async () => {
    const c = sys().client();
    const wrong = await c.post('/api/auth/login', { username: 'sam', password: 'nope' });
    const unknown = await c.post('/api/auth/login', { username: 'nobody-here', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('unauthenticated');
  });

  it('throttles an account after five failures with 429 and Retry-After, even for the right password', async () => {
    const c = sys().client();
    for (let i = 0; i < 5; i++) {
      expect((await c.post('/api/auth/login', { username: 'bob', password: `bad${i}` })).status).toBe(401);
    }
    const locked = await c.post('/api/auth/login', { username: 'bob', password: 'bob' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body.error.message).toMatch(/Too many failed sign-in attempts/);
    // other accounts are not locked by bob's failures
    expect((await c.post('/api/auth/login', { username: 'alice', password: 'alice' })).status).toBe(200);
  });

  it('counts failures per user: guesses by agent name and by agent ID share one limit', async () => {
    const c = sys().client();
    for (let i = 0; i < 5; i++) {
      const username = i % 2 ? '1004' : 'dave';
      expect((await c.post('/api/auth/login', { username, password: `bad${i}` })).status).toBe(401);
    }
    expect((await c.post('/api/auth/login', { username: 'dave', password: 'dave' })).status).toBe(429);
    expect((await c.post('/api/auth/login', { username: '1004', password: 'dave' })).status).toBe(429);
  });

  it('rejects bad input with a 400 naming the field, and changes nothing', async () => {
    const c = sys().client();
    const before = await sys()
      .db.selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const missing = await c.post('/api/auth/login', { username: 'alice' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_failed');
    expect(missing.body.error.message).toMatch(/^password:/);
    const notJson = await c.request('POST', '/api/auth/login', '{oops', {
      'content-type': 'application/json',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toBe('The request body must be JSON');
    const after = await sys()
      .db.selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses a state-changing request from another origin', async () => {
    const c = sys().client();
    const res = await c.post(
      '/api/auth/login',
      { username: 'alice', password: 'alice' },
      { origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('cross_origin_refused');
    const site = await c.post(
      '/api/auth/login',
      { username: 'alice', password: 'alice' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(site.status).toBe(403);
    const same = await c.post(
      '/api/auth/login',
      { username: 'alice', password: 'alice' },
      { origin: sys().url },
    );
    expect(same.status).toBe(200);
  });

  it('ends a disabled user’s access at once', async () => {
    const c = sys().client();
    await c.login('carol');
    await sys().db.updateTable('users').set({ disabled: 1 }).where('username', '=', 'carol').execute();
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect(
      (await sys().client().post('/api/auth/login', { username: 'carol', password: 'carol' })).status,
    ).toBe(401);
    await sys().db.updateTable('users').set({ disabled: 0 }).where('username', '=', 'carol').execute();
  });

  it('signs subscribers into the portal with their soft-phone number, in a separate session', async () => {
    const c = sys().client();
    expect((await c.get('/api/portal/auth/me')).status).toBe(401);
    const res = await c.post('/api/portal/auth/login', { phoneNumber: '1 800 555 0100', password: 'demo' });
    expect(res.status).toBe(200);
    expect(res.body.subscriber).toMatchObject({
      phoneNumber: '18005550100',
      balance: '20.00',
      currency: 'USD',
    });
    expect((await c.get('/api/portal/auth/me')).status).toBe(200);
    // a portal session is not a desk session
    expect((await c.get('/api/auth/me')).status).toBe(401);
    const wrong = await sys()
      .client()
      .post('/api/portal/auth/login', { phoneNumber: '18005550100', password: 'x' });
    expect(wrong.status).toBe(401);
    await c.post('/api/portal/auth/logout');
    expect((await c.get('/api/portal/auth/me')).status).toBe(401);
  });
});
