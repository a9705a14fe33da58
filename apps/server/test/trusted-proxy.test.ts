import { Writable } from 'node:stream';
import { softphoneConfigSchema } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLogger } from '../src/observability/logger';
import { openSipSocket } from './sip-websocket';
import { type ApiClient, TestSystem, userId } from './test-system';

/** Every line the system logs, parsed. */
function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

const forwardedFrom = (address: string, extra: Record<string, string> = {}) => ({
  'x-forwarded-for': address,
  ...extra,
});

/** What a TLS proxy for pbx.example.com adds to a request from `address`. */
const viaHttpsProxy = (address: string) =>
  forwardedFrom(address, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'pbx.example.com' });

/** Signs a demo user in (the password is the name) with these headers. */
function signIn(client: ApiClient, username: string, headers: Record<string, string>) {
  return client.post('/api/auth/login', { username, password: username }, headers);
}

/** Fails sign-in from one client until the address throttle answers 429; how many it took. */
async function failUntilLocked(
  client: ApiClient,
  headers: (attempt: number) => Record<string, string>,
): Promise<number> {
  for (let i = 1; i <= 40; i++) {
    const res = await client.post(
      '/api/auth/login',
      { username: `nobody-${i}`, password: 'wrong' },
      headers(i),
    );
    if (res.status === 429) return i;
    expect(res.status).toBe(401);
  }
  throw new Error('sign-in from one address was never throttled');
}

function closed(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
    ws.terminate();
  });
}

describe('behind a trusted TLS proxy [sqlite]', () => {
  let sys: TestSystem;
  const log = capturedLogger();
  beforeAll(async () => {
    // The test's requests come from 127.0.0.1: here that is the proxy.
    sys = await TestSystem.start(
      'sqlite',
      {
        TRUST_PROXY: 'loopback',
        ALLOWED_HOSTS: 'pbx.example.com',
        SIP_MAX_CONNECTIONS_PER_ADDRESS: '1',
        TURN_URLS: 'stun:turn.example.com:3478,turn:turn.example.com:3478?transport=udp',
        TURN_USERNAME: 'switchboard',
        TURN_PASSWORD: 'relay-secret',
      },
      { logger: log.logger },
    );
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('throttles sign-in per forwarded client: one locked out, another still signs in', async () => {
    const attacker = sys.client();
    const tries = await failUntilLocked(attacker, () => forwardedFrom('198.51.100.66'));
    expect(tries).toBeGreaterThan(1);
    expect((await signIn(attacker, 'admin', forwardedFrom('198.51.100.66'))).status).toBe(429);
    const colleague = await signIn(sys.client(), 'admin', forwardedFrom('203.0.113.7, 198.51.100.20'));
    expect(colleague.status, colleague.text).toBe(200);
  });

  it('records the forwarded client in the session, the audit log and the access log', async () => {
    const res = await signIn(sys.client(), 'sam', forwardedFrom('2001:db8::42'));
    expect(res.status, res.text).toBe(200);
    const id = await userId(sys, 'sam');
    const session = await sys.db
      .selectFrom('sessions')
      .select('ip')
      .where('user_id', '=', id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(session.ip).toBe('2001:db8::42');
    const audit = await sys.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'login')
      .where('actor_id', '=', id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const after = typeof audit.after === 'string' ? JSON.parse(audit.after) : audit.after;
    expect(after).toEqual({ address: '2001:db8::42' });
    const access = log.lines.find(
      (l) => l.msg === 'http request' && l.path === '/api/auth/login' && l.address === '2001:db8::42',
    );
    expect(access?.status).toBe(200);
  });

  it('sets Secure __Host- cookies when the proxy says https, and gives the softphone wss:// on the public host', async () => {
    const https = viaHttpsProxy('198.51.100.30');
    const alice = sys.client();
    const login = await signIn(alice, 'alice', https);
    expect(login.status, login.text).toBe(200);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('__Host-sb_session='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);

    const config = await alice.request('GET', '/api/softphone/config', undefined, https);
    expect(config.status, config.text).toBe(200);
    expect(softphoneConfigSchema.safeParse(config.body).error).toBeUndefined();
    expect(config.body.web.webSocketUrl).toMatch(/^wss:\/\/pbx\.example\.com\/sip\?token=/);
    expect(config.body.web.iceServers).toEqual([
      { urls: ['stun:turn.example.com:3478'] },
      {
        urls: ['turn:turn.example.com:3478?transport=udp'],
        username: 'switchboard',
        credential: 'relay-secret',
      },
    ]);
    // A fixed TURN user does not expire.
    expect(config.body.web.iceServersExpireAt).toBeNull();
  });

  it('counts SIP WebSocket connections per forwarded client, not per proxy', async () => {
    const alice = sys.client();
    await alice.login('alice');
    const token = new URL((await alice.get('/api/softphone/config')).body.web.webSocketUrl).search;
    const url = `${sys.url.replace('http', 'ws')}/sip${token}`;
    const first = await openSipSocket(url, forwardedFrom('198.51.100.41'));
    const second = await openSipSocket(url, forwardedFrom('198.51.100.42'));
    const again = await openSipSocket(url, forwardedFrom('198.51.100.41'));
    try {
      expect(first.status).toBe(101);
      expect(second.status).toBe(101);
      // SIP_MAX_CONNECTIONS_PER_ADDRESS is 1: the same client's second connection is refused.
      expect(again.status).toBe(429);
    } finally {
      await Promise.all([first, second, again].map((s) => closed(s.ws)));
    }
  });
});

describe('X-Forwarded-* from a peer that is not a trusted proxy [sqlite]', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    // Only 10.0.0.0/8 is trusted: the test's own requests (127.0.0.1) are an ordinary client's.
    sys = await TestSystem.start('sqlite', { TRUST_PROXY: '10.0.0.0/8' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('ignores them: plain cookies, ws:// on the Host, the socket address in the session', async () => {
    const spoofed = viaHttpsProxy('198.51.100.99');
    const alice = sys.client();
    const login = await signIn(alice, 'alice', spoofed);
    expect(login.status, login.text).toBe(200);
    const cookies = login.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith('sb_session='))).toBe(true);
    expect(cookies.some((c) => /secure/i.test(c) || c.startsWith('__Host-'))).toBe(false);
    const config = await alice.request('GET', '/api/softphone/config', undefined, spoofed);
    expect(config.status, config.text).toBe(200);
    expect(config.body.web.webSocketUrl).toMatch(new RegExp(`^ws://${new URL(sys.url).host}/sip\\?token=`));
    expect(config.body.web.iceServers).toEqual([]);
    const session = await sys.db
      .selectFrom('sessions')
      .select('ip')
      .where('user_id', '=', await userId(sys, 'alice'))
      .executeTakeFirstOrThrow();
    expect(session.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('keys the sign-in throttle on the socket, whatever client the headers name', async () => {
    const client = sys.client();
    // A forger rotating X-Forwarded-For still fails from one address.
    const tries = await failUntilLocked(client, (i) => forwardedFrom(`198.51.100.${i}`));
    expect(tries).toBeGreaterThan(1);
    expect((await signIn(sys.client(), 'admin', forwardedFrom('203.0.113.8'))).status).toBe(429);
  });
});
