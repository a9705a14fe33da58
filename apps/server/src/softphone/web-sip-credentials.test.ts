import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/test-system';
import { WebSipCredentials } from './web-sip-credentials';

describeEachDatabase('web SIP credentials', (sys) => {
  it('issues a credential per session that only that live session can use', async () => {
    const alice = sys().client();
    await alice.login('alice');
    const res = await alice.get('/api/softphone/config');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const web = res.body.web;
    expect(res.body.extension).toEqual({ number: '1001', type: 'web' });
    expect(web.sipUri).toBe('sip:1001@127.0.0.1');
    // The upgrade needs the session: sip.js in a page sends the cookie, the token covers clients without one.
    expect(web.webSocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/sip\?token=[A-Za-z0-9._-]+$/);
    expect(web.authorizationUser).toMatch(/^1001~[A-Za-z0-9_-]{22}$/);
    expect(web.password).not.toContain('alice');

    const creds = new WebSipCredentials(sys().db, 60 * 60_000);
    const found = await creds.passwordForAuthorizationUser(web.authorizationUser);
    expect(found).toMatchObject({ extension: '1001', password: web.password });

    // another extension's number with alice's session reference is refused
    const reference = web.authorizationUser.split('~')[1];
    expect(await creds.passwordForAuthorizationUser(`1002~${reference}`)).toBeNull();
    expect(await creds.passwordForAuthorizationUser('1001~short')).toBeNull();
    expect(await creds.passwordForAuthorizationUser('no-separator')).toBeNull();

    // signing out ends the credential
    await alice.post('/api/auth/logout');
    expect(await creds.passwordForAuthorizationUser(web.authorizationUser)).toBeNull();
  });

  it('gives a desk-phone agent no web credential', async () => {
    const dave = sys().client();
    await dave.login('dave');
    const res = await dave.get('/api/softphone/config');
    expect(res.body).toEqual({
      extension: { number: '1004', type: 'sip' },
      web: null,
      registration: { registered: false, contacts: 0 },
    });
  });

  it('tells an account without an extension so', async () => {
    const admin = sys().client();
    await admin.login('admin');
    const res = await admin.get('/api/softphone/config');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/no extension/);
  });
});
