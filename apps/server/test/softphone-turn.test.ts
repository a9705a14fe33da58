// Short-lived TURN credentials (TURN_SECRET, coturn's use-auth-secret): each agent's softphone
// configuration carries credentials of its own with their expiry, renewed from
// /api/softphone/ice-servers; the secret itself never leaves the server.
import { softphoneConfigSchema, softphoneIceServersSchema } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { turnRestCredential } from '../src/switch/turn-credentials';
import { TestSystem, userId } from './test-system';

const SECRET = 'coturn-static-auth-secret-for-tests';
const TTL_S = 3600;

describe('softphone TURN credentials from a shared secret [sqlite]', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await TestSystem.start('sqlite', {
      TURN_URLS:
        'stun:turn.example.com:3478,turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349',
      TURN_SECRET: SECRET,
      TURN_CREDENTIAL_TTL_SECONDS: String(TTL_S),
    });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('gives each agent credentials of their own that coturn accepts until they expire, never the secret', async () => {
    const alice = sys.client();
    await alice.login('alice');
    const before = Date.now();
    const config = await alice.get('/api/softphone/config');
    expect(config.status, config.text).toBe(200);
    expect(softphoneConfigSchema.safeParse(config.body).error).toBeUndefined();
    expect(config.text).not.toContain(SECRET);
    const web = config.body.web;
    expect(web.iceServersExpireAt).toBeGreaterThanOrEqual(before + TTL_S * 1000);
    expect(web.iceServersExpireAt).toBeLessThanOrEqual(Date.now() + TTL_S * 1000);
    const aliceId = await userId(sys, 'alice');
    const expected = turnRestCredential(SECRET, `user-${aliceId}`, web.iceServersExpireAt);
    expect(web.iceServers).toEqual([
      { urls: ['stun:turn.example.com:3478'] },
      {
        urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
        ...expected,
      },
    ]);
    expect(expected.username).toBe(`${Math.floor(web.iceServersExpireAt / 1000)}:user-${aliceId}`);

    // Renewed: the same servers with a credential valid from now.
    const renewed = await alice.get('/api/softphone/ice-servers');
    expect(renewed.status, renewed.text).toBe(200);
    expect(softphoneIceServersSchema.safeParse(renewed.body).error).toBeUndefined();
    expect(renewed.text).not.toContain(SECRET);
    expect(renewed.body.expiresAt).toBeGreaterThanOrEqual(web.iceServersExpireAt);
    expect(renewed.body.iceServers[1]).toEqual({
      urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
      ...turnRestCredential(SECRET, `user-${aliceId}`, renewed.body.expiresAt),
    });

    // Another agent's credential names them.
    const carol = sys.client();
    await carol.login('carol');
    const theirs = await carol.get('/api/softphone/ice-servers');
    expect(theirs.body.iceServers[1].username).toMatch(new RegExp(`:user-${await userId(sys, 'carol')}$`));
  });

  it('answers only a signed-in desk user', async () => {
    expect((await sys.client().get('/api/softphone/ice-servers')).status).toBe(401);
  });
});
