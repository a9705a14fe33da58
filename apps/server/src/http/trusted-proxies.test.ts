import { describe, expect, it } from 'vitest';
import { type HeaderReader, TrustedProxies, trustedProxyProblem } from './trusted-proxies';

const headers =
  (h: Record<string, string>): HeaderReader =>
  (name) =>
    h[name];

describe('the client address behind trusted proxies', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const none = new TrustedProxies([]);
    expect(none.clientAddress('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
    expect(none.clientAddress('127.0.0.1', '198.51.100.1')).toBe('127.0.0.1');
  });

  it('is the socket peer when that peer is not a trusted proxy', () => {
    const proxies = new TrustedProxies(['10.0.0.0/8']);
    expect(proxies.clientAddress('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('is the forwarded client when a trusted proxy sent the request', () => {
    const proxies = new TrustedProxies(['10.0.0.5']);
    expect(proxies.clientAddress('10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
    // No header: the proxy itself is all there is.
    expect(proxies.clientAddress('10.0.0.5', undefined)).toBe('10.0.0.5');
  });

  it('walks a chain from the right and stops at the first hop that is not trusted', () => {
    const proxies = new TrustedProxies(['10.0.0.0/8', '192.168.1.1']);
    // The client forged the leftmost entry; the first untrusted hop from the right is the real one.
    expect(proxies.clientAddress('10.0.0.5', '1.2.3.4, 198.51.100.1, 192.168.1.1')).toBe('198.51.100.1');
    // Every hop trusted: the leftmost is the client.
    expect(proxies.clientAddress('10.0.0.5', '10.1.1.1, 192.168.1.1')).toBe('10.1.1.1');
  });

  it('matches IPv6 peers, CIDRs and IPv4 seen through a dual-stack socket', () => {
    const proxies = new TrustedProxies(['fd00::/8', '10.0.0.0/8']);
    expect(proxies.clientAddress('fd12::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(proxies.clientAddress('::ffff:10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
    expect(proxies.clientAddress('2001:db8::1', '198.51.100.1')).toBe('2001:db8::1');
  });

  it('trusts the loopback addresses by name', () => {
    const proxies = new TrustedProxies(['loopback']);
    expect(proxies.clientAddress('127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(proxies.clientAddress('::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(proxies.clientAddress('192.0.2.1', '198.51.100.1')).toBe('192.0.2.1');
  });

  it('falls back to the last hop that is an address when a proxy forwarded nonsense', () => {
    const proxies = new TrustedProxies(['10.0.0.5']);
    expect(proxies.clientAddress('10.0.0.5', 'not-an-address')).toBe('10.0.0.5');
  });
});

describe('https and host behind trusted proxies', () => {
  const proxies = new TrustedProxies(['10.0.0.5']);

  it("believes a trusted proxy's X-Forwarded-Proto and -Host, first value first", () => {
    const h = headers({
      host: '10.0.0.9:8080',
      'x-forwarded-for': '198.51.100.1',
      'x-forwarded-proto': 'https, http',
      'x-forwarded-host': 'pbx.example.com, inner.local',
    });
    expect(proxies.resolve('10.0.0.5', h, false)).toEqual({
      address: '198.51.100.1',
      https: true,
      host: 'pbx.example.com',
    });
  });

  it('ignores them from anyone else', () => {
    const h = headers({
      host: 'pbx.example.com',
      'x-forwarded-for': '198.51.100.1',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example.net',
    });
    expect(proxies.resolve('203.0.113.9', h, false)).toEqual({
      address: '203.0.113.9',
      https: false,
      host: 'pbx.example.com',
    });
  });

  it('keeps Host when the forwarded host is not a host, and the connection’s own TLS without a proto', () => {
    const h = headers({ host: 'pbx.example.com', 'x-forwarded-host': 'a b/c' });
    expect(proxies.resolve('10.0.0.5', h, true)).toEqual({
      address: '10.0.0.5',
      https: true,
      host: 'pbx.example.com',
    });
  });
});

describe('TRUST_PROXY entries', () => {
  it('accepts addresses, CIDRs of both families and the range names', () => {
    for (const entry of ['10.0.0.5', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback', 'uniquelocal'])
      expect(trustedProxyProblem(entry), entry).toBeNull();
  });

  it('refuses host names, bad prefixes and typos', () => {
    for (const entry of ['proxy.example.com', '10.0.0.0/33', '300.1.1.1', 'loopbak', 'fd00::/200'])
      expect(trustedProxyProblem(entry), entry).toMatch(/is not an IP address, a CIDR/);
  });
});
