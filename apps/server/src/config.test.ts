import { describe, expect, it } from 'vitest';
import { ConfigError, defaultSipMaxConnections, loadConfig } from './config';

/** What loading `env` is refused for, one problem a line ('' when it loads). */
function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.join('\n');
  }
}

describe('loadConfig', () => {
  it('applies the runtime contract defaults', () => {
    const c = loadConfig({});
    expect(c.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.sip).toEqual({ host: '127.0.0.1', port: 5060, publicAddress: '127.0.0.1' });
    expect(c.rtp).toEqual({ portMin: 20000, portMax: 29999 });
    expect(c.database).toEqual({ kind: 'sqlite', file: './data/switchboard.db' });
    expect(c.trunk).toBeNull();
    expect(c.seedDemoData).toBe(true);
  });

  it('reads postgres URLs and trunk settings', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h/db',
      TRUNK_URI: 'sip:carrier.example:5060',
      TRUNK_USERNAME: 'u',
      TRUNK_PASSWORD: 'p',
      NODE_ENV: 'production',
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
    expect(c.trunk).toEqual({ uri: 'sip:carrier.example:5060', username: 'u', password: 'p' });
    expect(c.seedDemoData).toBe(false);
  });

  it('names every bad setting at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', RTP_PORT_MIN: '30000', RTP_PORT_MAX: '20000' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('DATABASE_URL must start with sqlite: or postgres://');
      expect(problems).not.toContain('RTP_PORT_MAX must be above');
    }
    expect(() => loadConfig({ RTP_PORT_MIN: '30000', RTP_PORT_MAX: '20000' })).toThrow(
      /RTP_PORT_MAX must be above/,
    );
  });

  it('never echoes a password', () => {
    expect(() => loadConfig({ TRUNK_USERNAME: 'u', TRUNK_PASSWORD: 'hunter2' })).toThrow(
      /TRUNK_URI is required/,
    );
    try {
      loadConfig({ TRUNK_USERNAME: 'u', TRUNK_PASSWORD: 'hunter2' });
    } catch (e) {
      expect(String(e)).not.toContain('hunter2');
    }
  });

  it('production: an initial administrator with a strong password, and a public SIP address when bound widely', () => {
    const inProduction = (env: Record<string, string>) => problems({ NODE_ENV: 'production', ...env });
    const bad = inProduction({ SIP_HOST: '0.0.0.0', ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'admin' });
    expect(bad).toContain('SIP_PUBLIC_ADDRESS is required in production');
    expect(bad).toContain('ADMIN_PASSWORD is too weak');
    expect(bad).not.toContain('admin\n');
    expect(inProduction({ ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: 'chiefchiefchief' })).toBe('');
    expect(inProduction({ ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: 'CHIEF' })).toContain('too weak');
    expect(inProduction({ ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: 'aaaaaaaaaaaaaa' })).toContain('too weak');
    expect(inProduction({ ADMIN_USERNAME: 'chief' })).toContain(
      'ADMIN_USERNAME and ADMIN_PASSWORD must be set together',
    );
    expect(inProduction({ SIP_HOST: '0.0.0.0', SIP_PUBLIC_ADDRESS: '203.0.113.7' })).toBe('');
    const c = loadConfig({
      NODE_ENV: 'production',
      ADMIN_USERNAME: 'chief',
      ADMIN_PASSWORD: 'a long passphrase',
    });
    expect(c.initialAdmin).toEqual({ username: 'chief', password: 'a long passphrase' });
    // Development keeps its demo admin; a short password is the operator's business there.
    expect(loadConfig({ ADMIN_USERNAME: 'x', ADMIN_PASSWORD: 'x' }).initialAdmin).toEqual({
      username: 'x',
      password: 'x',
    });
  });

  it('reads the abuse limits, with Kamailio-like SIP defaults', () => {
    const c = loadConfig({});
    expect(c.security.sipGuard).toEqual({
      requests: 16,
      windowMs: 2000,
      authFailures: 5,
      authWindowMs: 60_000,
      banMs: 300_000,
    });
    expect(c.security.metricsAllowedAddresses).toEqual(['127.0.0.1', '::1']);
    expect(c.security.allowedHosts).toBeNull();
    const set = loadConfig({
      SIP_BAN_SECONDS: '60',
      SIP_MAX_CONNECTIONS: '500',
      METRICS_ALLOWED_ADDRESSES: '10.0.0.5, fd00::1',
      METRICS_TOKEN: 'a-long-enough-token',
      ALLOWED_HOSTS: 'Desk.Example.com, desk.example.com:8443',
    });
    expect(set.security.sipGuard.banMs).toBe(60_000);
    expect(set.security.sipMaxConnections).toBe(500);
    expect(set.security.metricsAllowedAddresses).toEqual(['10.0.0.5', 'fd00::1']);
    expect(set.security.metricsToken).toBe('a-long-enough-token');
    expect(set.security.allowedHosts).toEqual(['desk.example.com', 'desk.example.com:8443']);
    expect(() => loadConfig({ METRICS_ALLOWED_ADDRESSES: 'scraper.local' })).toThrow(
      /METRICS_ALLOWED_ADDRESSES/,
    );
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16/);
    expect(() => loadConfig({ SIP_RATE_LIMIT_REQUESTS: '0' })).toThrow(/SIP_RATE_LIMIT_REQUESTS/);
  });

  it('reads the trusted proxies; none by default', () => {
    expect(loadConfig({}).security.trustedProxies).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: ' loopback, 10.0.0.0/8 ,fd00::/8,' }).security.trustedProxies).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
  });

  it('refuses a TRUST_PROXY entry that is not an address, a CIDR or a range name, naming it', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'loopback, proxy.example.com, 10.0.0.0/40' })).toThrow(
      /TRUST_PROXY entry "proxy\.example\.com" is not an IP address[\s\S]*TRUST_PROXY entry "10\.0\.0\.0\/40"/,
    );
  });

  it('builds the ICE servers from TURN_URLS and the TURN user; none by default', () => {
    expect(loadConfig({}).iceServers).toEqual([]);
    expect(
      loadConfig({
        TURN_URLS:
          'stun:turn.example.com:3478, turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349',
        TURN_USERNAME: 'switchboard',
        TURN_PASSWORD: 'relay-secret',
      }).iceServers,
    ).toEqual([
      { urls: ['stun:turn.example.com:3478'] },
      {
        urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
        username: 'switchboard',
        credential: 'relay-secret',
      },
    ]);
    expect(loadConfig({ TURN_URLS: 'stun:stun.example.com' }).iceServers).toEqual([
      { urls: ['stun:stun.example.com'] },
    ]);
  });

  it('refuses bad TURN settings with a clear message and never echoes the password', () => {
    expect(problems({ TURN_URLS: 'https://turn.example.com' })).toMatch(
      /TURN_URLS entry "https:\/\/turn\.example\.com" is not a turn:/,
    );
    expect(problems({ TURN_URLS: 'turn:turn.example.com' })).toMatch(
      /TURN_USERNAME and TURN_PASSWORD \(a user of the TURN server\), or TURN_SECRET, are required/,
    );
    expect(problems({ TURN_URLS: 'turn:t.example.com', TURN_USERNAME: 'u' })).toMatch(/must be set together/);
    const noUrl = problems({ TURN_USERNAME: 'u', TURN_PASSWORD: 'hunter2' });
    expect(noUrl).toMatch(/TURN_URLS needs a turn:/);
    expect(noUrl).not.toContain('hunter2');
  });

  it('takes a TURN secret for short-lived credentials instead of a fixed user, and refuses a bad one', () => {
    const secret = 'a-shared-secret-for-coturn';
    const config = loadConfig({ TURN_URLS: 'turn:turn.example.com:3478', TURN_SECRET: secret });
    expect(config.turnRest).toEqual({ secret, ttlMs: 43_200_000 });
    expect(loadConfig({}).turnRest).toBeNull();
    expect(
      loadConfig({
        TURN_URLS: 'turns:t.example.com',
        TURN_SECRET: secret,
        TURN_CREDENTIAL_TTL_SECONDS: '3600',
      }).turnRest?.ttlMs,
    ).toBe(3_600_000);
    const both = problems({
      TURN_URLS: 'turn:t.example.com',
      TURN_SECRET: secret,
      TURN_USERNAME: 'u',
      TURN_PASSWORD: 'p',
    });
    expect(both).toMatch(/cannot be set together/);
    expect(both).not.toContain(secret);
    expect(problems({ TURN_URLS: 'turn:t.example.com', TURN_SECRET: 'short' })).toMatch(
      /at least 16 characters/,
    );
    expect(problems({ TURN_URLS: 'stun:t.example.com', TURN_SECRET: secret })).toMatch(
      /TURN_URLS needs a turn:/,
    );
    expect(
      problems({ TURN_URLS: 'turn:t.example.com', TURN_SECRET: secret, TURN_CREDENTIAL_TTL_SECONDS: '60' }),
    ).toMatch(/at least 600/);
    expect(
      problems({ TURN_URLS: 'turn:t.example.com', TURN_SECRET: secret, TURN_CREDENTIAL_TTL_SECONDS: 'soon' }),
    ).toMatch(/whole number of seconds/);
  });

  it('leaves descriptors for HTTP when sizing the SIP connection limit from the open-file limit', () => {
    expect(defaultSipMaxConnections(20_000)).toBe(5000);
    expect(defaultSipMaxConnections(1024)).toBe(256);
    expect(defaultSipMaxConnections(256)).toBe(16);
    expect(defaultSipMaxConnections(null)).toBe(1024);
  });
});
