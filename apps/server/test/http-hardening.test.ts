import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerCount, type DatabaseKind, loggedInAs, TestSystem } from './test-system';

const kinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

/** A raw HTTP request with any Host header (fetch would not let the test choose it). */
function raw(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

for (const kind of kinds) {
  describe(`HTTP hardening [${kind}]`, () => {
    let sys: TestSystem;
    const dist = mkdtempSync(path.join(os.tmpdir(), 'sb-web-'));
    beforeAll(async () => {
      writeFileSync(
        path.join(dist, 'index.html'),
        '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/app.js"></script></body></html>',
      );
      sys = await TestSystem.start(kind, {
        WEB_DIST_DIR: dist,
        METRICS_ALLOWED_ADDRESSES: '10.9.9.9',
        METRICS_TOKEN,
      });
    });
    afterAll(async () => {
      await sys?.stop();
      rmSync(dist, { recursive: true, force: true });
    });

    it('refuses NUL characters in bodies and URLs with a 400 and stores nothing', async () => {
      const alice = await loggedInAs(sys, 'alice');
      const before = await customerCount(sys);
      const res = await alice.post('/api/customers', { name: 'Null\u0000Byte', phones: ['+12025550111'] });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^name: NUL characters are not allowed/);
      const nested = await alice.post('/api/customers', { name: 'Nested', phones: ['+12025550111\u0000'] });
      expect(nested.status).toBe(400);
      expect(nested.body.error.details.fields[0].field).toBe('phones.0');
      expect(await customerCount(sys)).toBe(before);
      const query = await alice.get('/api/customers?q=ab%00cd');
      expect(query.status).toBe(400);
      expect(query.body.error.details.fields[0].field).toBe('url');
      expect((await alice.get('/api/customers?q=abcd')).status).toBe(200);
    });

    it('serves /metrics only to the configured addresses or with the token', async () => {
      expect((await fetch(`${sys.url}/metrics`)).status).toBe(403);
      const wrong = await fetch(`${sys.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(403);
      const ok = await fetch(`${sys.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('switchboard_sip_requests_total');
      expect((await fetch(`${sys.url}/healthz`)).status).toBe(200);
    });

    it('refuses API requests for a host name it was not configured with (DNS rebinding)', async () => {
      const port = new URL(sys.url).port;
      const login = (host: string, origin?: string) =>
        raw(sys.url, {
          method: 'POST',
          path: '/api/auth/login',
          headers: {
            host,
            'content-type': 'application/json',
            ...(origin ? { origin } : {}),
          },
          body: JSON.stringify({ username: 'alice', password: 'alice' }),
        });
      const rebound = await login(
        `rebind.attacker.example:${port}`,
        `http://rebind.attacker.example:${port}`,
      );
      expect(rebound.status).toBe(421);
      expect(rebound.headers['set-cookie']).toBeUndefined();
      expect((await login(`localhost:${port}`, `http://localhost:${port}`)).status).toBe(200);
      expect((await login(`127.0.0.1:${port}`)).status).toBe(200);
      // The SIP WebSocket upgrade checks the host too.
      const alice = await loggedInAs(sys, 'alice');
      const wsUrl = new URL((await alice.get('/api/softphone/config')).body.web.webSocketUrl as string);
      const upgrade = await raw(sys.url, {
        path: `${wsUrl.pathname}${wsUrl.search}`,
        headers: {
          host: `rebind.attacker.example:${port}`,
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'sec-websocket-protocol': 'sip',
        },
      });
      expect(upgrade.status).toBe(403);
    });

    it('sends CSP, X-Frame-Options and nosniff with the web app', async () => {
      for (const p of ['/', '/desk', '/admin/sip-bans']) {
        const res = await fetch(`${sys.url}${p}`);
        expect(res.status).toBe(200);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain(`ws://${new URL(sys.url).host}`);
        expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
    });
  });
}

describe('ALLOWED_HOSTS [sqlite]', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await TestSystem.start('sqlite', { ALLOWED_HOSTS: 'desk.example.com' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('answers only the listed names (and IP addresses)', async () => {
    const me = (host: string) => raw(sys.url, { path: '/api/auth/me', headers: { host } });
    expect((await me('desk.example.com')).status).toBe(401);
    expect((await me('DESK.example.com:443')).status).toBe(401);
    expect((await me('localhost')).status).toBe(421);
    expect((await me('other.example.com')).status).toBe(421);
    expect((await me(new URL(sys.url).host)).status).toBe(401);
  });
});
