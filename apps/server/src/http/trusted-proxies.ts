import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyAddr from 'proxy-addr';

/**
 * What a request says about its client once the proxies in front are accounted for: the client's
 * address, whether the browser's page is https, and the host name the browser asked for.
 */
export interface ForwardedClient {
  address: string;
  https: boolean;
  /** `host[:port]` as the browser sent it; undefined when the request named none. */
  host: string | undefined;
}

/** The request headers this reads, as node:http and the fetch Request both give them. */
export type HeaderReader = (
  name: 'x-forwarded-for' | 'x-forwarded-proto' | 'x-forwarded-host' | 'host',
) => string | undefined;

/** `name`, `name:port`, `[v6]` or `[v6]:port`: anything else in X-Forwarded-Host is not a host. */
const HOST_HEADER = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Why one TRUST_PROXY entry cannot be used, or null when it can: an IPv4 or IPv6 address, a CIDR
 * (`10.0.0.0/8`, `fd00::/8`), or one of proxy-addr's names (`loopback`, `linklocal`, `uniquelocal`).
 */
export function trustedProxyProblem(entry: string): string | null {
  try {
    proxyAddr.compile(entry);
    return null;
  } catch {
    return `"${entry}" is not an IP address, a CIDR such as 10.0.0.0/8 or fd00::/8, or loopback`;
  }
}

/**
 * The proxies (TRUST_PROXY) whose X-Forwarded-For, -Proto and -Host are believed. Without any, the
 * socket's peer is the client and the headers are ignored, as anyone can send them. The address
 * matching (CIDRs, IPv4 seen as IPv4-mapped IPv6) and the walk along X-Forwarded-For are
 * proxy-addr's, the algorithm Express uses.
 */
export class TrustedProxies {
  private readonly matches: (address: string, hop: number) => boolean;

  /** Throws on an entry trustedProxyProblem refuses; the configuration has checked them already. */
  constructor(readonly entries: readonly string[]) {
    this.matches = entries.length > 0 ? proxyAddr.compile([...entries]) : () => false;
  }

  /** Whether the connection's peer is one of the trusted proxies. */
  trusts(peer: string): boolean {
    return this.matches(peer, 0);
  }

  /**
   * The client's address: the socket's peer, unless that is a trusted proxy; then the rightmost
   * X-Forwarded-For entry that is not itself a trusted proxy (entries further left were written by
   * whoever the untrusted hop was, so they prove nothing). An entry that is not an address means a
   * proxy wrote nonsense: the last hop that is an address stands in.
   */
  clientAddress(peer: string, forwardedFor: string | undefined): string {
    if (!forwardedFor || !this.trusts(peer)) return peer;
    const request = { socket: { remoteAddress: peer }, headers: { 'x-forwarded-for': forwardedFor } };
    const hops = proxyAddr.all(request as unknown as IncomingMessage, this.matches);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (isIP(hop) !== 0) return hop;
    }
    return peer;
  }

  /**
   * The client as a trusted proxy describes it (see ForwardedClient). `directHttps` is whether the
   * connection itself is TLS. A proxy chain lists the outermost hop first in X-Forwarded-Proto and
   * -Host, so the first value is the browser's.
   */
  resolve(peer: string, header: HeaderReader, directHttps: boolean): ForwardedClient {
    const address = this.clientAddress(peer, header('x-forwarded-for'));
    const host = header('host');
    if (!this.trusts(peer)) return { address, https: directHttps, host };
    const proto = firstValue(header('x-forwarded-proto'))?.toLowerCase();
    const forwardedHost = firstValue(header('x-forwarded-host'));
    return {
      address,
      https: proto === 'https' || (proto !== 'http' && directHttps),
      host: forwardedHost && HOST_HEADER.test(forwardedHost) ? forwardedHost : host,
    };
  }
}

function firstValue(header: string | undefined): string | undefined {
  const first = header?.split(',')[0]?.trim();
  return first || undefined;
}

const compiled = new WeakMap<readonly string[], TrustedProxies>();

/** The TrustedProxies of a configured list, built once per list. */
export function trustedProxiesOf(entries: readonly string[]): TrustedProxies {
  let proxies = compiled.get(entries);
  if (!proxies) {
    proxies = new TrustedProxies(entries);
    compiled.set(entries, proxies);
  }
  return proxies;
}

/** The client of a raw node:http request (a WebSocket upgrade, a new connection) under these proxies. */
export function forwardedClientOf(proxies: TrustedProxies, req: IncomingMessage): ForwardedClient {
  const header: HeaderReader = (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const directHttps = 'encrypted' in req.socket && Boolean(req.socket.encrypted);
  return proxies.resolve(req.socket.remoteAddress ?? 'unknown', header, directHttps);
}
