import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createResponse } from '../messages/builders';
import { parseAuth, serializeAuth } from '../messages/headers';
import type { SipRequest, SipResponse } from '../messages/message';
import { parseUri } from '../messages/uri';
import { type DigestAlgorithm, digestResponse, normalizeAlgorithm } from './digest';

export interface DigestServerOptions {
  realm: string;
  /** Key that binds nonces to this server; random per process by default. */
  secret?: string | Buffer;
  /** Nonce lifetime; an older nonce with a correct digest gets stale=true (default 5 minutes). */
  nonceTtlMs?: number;
  /** Offered in this order of preference (RFC 8760 §2.4: strongest first). */
  algorithms?: DigestAlgorithm[];
  /** 407/Proxy-Authenticate instead of 401/WWW-Authenticate. */
  proxy?: boolean;
  /**
   * Requests one nonce may authenticate; after that the client gets stale=true and a new nonce
   * (default 100). A wrong digest spends the nonce at once, so each challenge buys one guess.
   */
  maxNonceUses?: number;
  now?: () => number;
}

export type Credentials = { password: string } | { ha1: string; algorithm?: DigestAlgorithm };
export type CredentialLookup = (
  username: string,
  realm: string,
) => Credentials | undefined | Promise<Credentials | undefined>;

export type VerifyResult =
  | { ok: true; username: string }
  | {
      ok: false;
      reason: 'missing' | 'malformed' | 'unknown-user' | 'bad-digest' | 'replay' | 'stale' | 'bad-nonce';
    };

/** Digest `uri` against the Request-URI: equal as written, or as parsed (case of scheme and host). */
function sameUri(digestUri: string, requestUri: string): boolean {
  if (digestUri === requestUri) return true;
  const a = parseUri(digestUri);
  const b = parseUri(requestUri);
  return a !== undefined && b !== undefined && a.toString().toLowerCase() === b.toString().toLowerCase();
}

/**
 * Server side of SIP digest authentication (RFC 3261 §22, RFC 2617 qop=auth, RFC 8760 SHA-256).
 * Nonces are stateless: timestamp + random + HMAC(secret), so any node holding the secret can
 * check them. Only the nonce-count high-water marks are kept, to refuse replays.
 */
export class DigestServer {
  readonly realm: string;
  private readonly secret: Buffer;
  private readonly ttl: number;
  private readonly algorithms: DigestAlgorithm[];
  private readonly proxy: boolean;
  private readonly now: () => number;
  private readonly maxUses: number;
  /** Per nonce seen in an Authorization: highest nonce-count, uses, and whether a guess spent it. */
  private readonly counts = new Map<string, { nc: number; uses: number; spent: boolean; expires: number }>();
  private lastPrune = 0;

  constructor(options: DigestServerOptions) {
    this.realm = options.realm;
    this.secret = options.secret ? Buffer.from(options.secret) : randomBytes(32);
    this.ttl = options.nonceTtlMs ?? 300_000;
    this.algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    this.proxy = options.proxy ?? false;
    this.maxUses = options.maxNonceUses ?? 100;
    this.now = options.now ?? Date.now;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 22);
  }

  /**
   * A nonce, optionally bound to what it is issued for (e.g. the client's address): it then only
   * verifies for that same binding, so a captured answer cannot be replayed from elsewhere.
   */
  createNonce(boundTo = ''): string {
    const payload = this.now().toString(36) + '.' + randomBytes(9).toString('base64url');
    return payload + '.' + this.sign(`${payload}|${boundTo}`);
  }

  /** Checks the nonce's signature; returns its issue time, or undefined if it is not ours. */
  private nonceTime(nonce: string, boundTo: string): number | undefined {
    const last = nonce.lastIndexOf('.');
    if (last < 0) return undefined;
    const payload = nonce.slice(0, last);
    const sig = Buffer.from(nonce.slice(last + 1));
    const expected = Buffer.from(this.sign(`${payload}|${boundTo}`));
    if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) return undefined;
    const t = Number.parseInt(payload.split('.')[0] ?? '', 36);
    return Number.isFinite(t) ? t : undefined;
  }

  /** Challenge header values, one per algorithm. */
  challenges(stale = false, boundTo = ''): string[] {
    const nonce = this.createNonce(boundTo);
    return this.algorithms.map((algorithm) => {
      const params = new Map<string, string>([
        ['realm', this.realm],
        ['nonce', nonce],
        ['algorithm', algorithm],
        ['qop', 'auth'],
      ]);
      if (stale) params.set('stale', 'true');
      return serializeAuth({ scheme: 'Digest', params });
    });
  }

  /** 401 (or 407) carrying fresh challenges. */
  challenge(request: SipRequest, stale = false, boundTo = ''): SipResponse {
    const res = createResponse(request, this.proxy ? 407 : 401);
    for (const c of this.challenges(stale, boundTo))
      res.append(this.proxy ? 'proxy-authenticate' : 'www-authenticate', c);
    return res;
  }

  /**
   * Verifies the request's credentials. `boundTo` must be what the nonce was issued for (see
   * createNonce). The digest `uri` must name the Request-URI (RFC 2617 §3.2.2.5), or an answer
   * computed for one request could be presented with another.
   */
  async verify(request: SipRequest, lookup: CredentialLookup, boundTo = ''): Promise<VerifyResult> {
    const headerName = this.proxy ? 'proxy-authorization' : 'authorization';
    const values = request.getAll(headerName);
    if (values.length === 0) return { ok: false, reason: 'missing' };
    // Pick the credentials for our realm; an unknown scheme (RFC 4475 §3.3.7) is as good as none.
    let creds: Map<string, string> | undefined;
    for (const v of values) {
      const a = parseAuth(v);
      if (a && a.scheme.toLowerCase() === 'digest' && a.params.get('realm') === this.realm) creds = a.params;
    }
    if (!creds)
      return { ok: false, reason: values.some((v) => /^\s*digest\s/i.test(v)) ? 'malformed' : 'missing' };
    const username = creds.get('username');
    const nonce = creds.get('nonce');
    const uri = creds.get('uri');
    const response = creds.get('response');
    const algorithm = normalizeAlgorithm(creds.get('algorithm'));
    if (!username || !nonce || !uri || !response || !algorithm) return { ok: false, reason: 'malformed' };
    if (!sameUri(uri, request.uri.toString())) return { ok: false, reason: 'malformed' };
    const issued = this.nonceTime(nonce, boundTo);
    if (issued === undefined) return { ok: false, reason: 'bad-nonce' };
    const qop = creds.get('qop');
    const nc = creds.get('nc');
    const cnonce = creds.get('cnonce');
    if (qop !== undefined && (qop !== 'auth' || !nc || !cnonce || !/^[0-9a-fA-F]{8}$/.test(nc))) {
      return { ok: false, reason: 'malformed' };
    }
    if (this.counts.get(nonce)?.spent) return { ok: false, reason: 'bad-nonce' };
    const stored = await lookup(username, this.realm);
    if (!stored) return { ok: false, reason: 'unknown-user' };
    if ('ha1' in stored && stored.algorithm && stored.algorithm !== algorithm)
      return { ok: false, reason: 'bad-digest' };
    const expected = digestResponse({
      algorithm,
      username,
      realm: this.realm,
      ...('password' in stored ? { password: stored.password } : { ha1: stored.ha1 }),
      method: request.method,
      uri,
      nonce,
      qop,
      nc,
      cnonce,
    });
    const a = Buffer.from(expected);
    const b = Buffer.from(response.toLowerCase());
    const now = this.now();
    const seen = this.counts.get(nonce);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      this.record(
        nonce,
        { nc: seen?.nc ?? 0, uses: seen?.uses ?? 0, spent: true, expires: issued + this.ttl },
        now,
      );
      return { ok: false, reason: 'bad-digest' };
    }
    // A correct digest over an expired or used-up nonce: the client only needs a new one (stale=true).
    if (now - issued > this.ttl || (seen && seen.uses >= this.maxUses)) return { ok: false, reason: 'stale' };
    let n = seen?.nc ?? 0;
    if (qop) {
      // Nonce-count must grow with every request that reuses a nonce, or it is a replay.
      n = Number.parseInt(nc!, 16);
      if (seen && n <= seen.nc) return { ok: false, reason: 'replay' };
    } else if (seen && seen.uses >= 1) {
      // RFC 2617 §4.5: without qop there is no nonce-count to tell a replay from a new request, so
      // the nonce is one-time; a client that answers without qop gets a new challenge each time.
      return { ok: false, reason: 'replay' };
    }
    this.record(nonce, { nc: n, uses: (seen?.uses ?? 0) + 1, spent: false, expires: issued + this.ttl }, now);
    return { ok: true, username };
  }

  /** Nonces tracked at most; past it the oldest are forgotten (they can then only be used once more). */
  private static readonly MAX_TRACKED = 100_000;

  private record(
    nonce: string,
    entry: { nc: number; uses: number; spent: boolean; expires: number },
    now: number,
  ): void {
    this.counts.delete(nonce);
    this.counts.set(nonce, entry);
    this.prune(now);
  }

  private prune(now: number): void {
    if (this.counts.size > DigestServer.MAX_TRACKED) {
      for (const k of this.counts.keys()) {
        this.counts.delete(k);
        if (this.counts.size <= DigestServer.MAX_TRACKED) break;
      }
    }
    if (now - this.lastPrune < 10_000) return;
    this.lastPrune = now;
    for (const [k, v] of this.counts) if (v.expires < now) this.counts.delete(k);
  }

  /** Convenience: the 401/407 for a failed verification (stale=true when only the nonce aged). */
  rejection(request: SipRequest, result: VerifyResult, boundTo = ''): SipResponse {
    if (result.ok) throw new Error('verification succeeded');
    if (result.reason === 'malformed') return createResponse(request, 400, 'Malformed Authorization');
    return this.challenge(request, result.reason === 'stale', boundTo);
  }
}
