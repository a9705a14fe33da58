import { randomBytes } from 'node:crypto';
import { parseAuth, serializeAuth } from '../messages/headers';
import type { SipRequest, SipResponse } from '../messages/message';
import { digestResponse, normalizeAlgorithm } from './digest';

export interface ClientCredentials {
  username: string;
  password: string;
  /** Only answer challenges for this realm (default: any). */
  realm?: string;
}

/**
 * Client side of digest authentication (RFC 3261 §22.2–22.3): given a 401/407 and the request that
 * drew it, adds the Authorization / Proxy-Authorization header. Returns false when no challenge can
 * be answered (unknown scheme or algorithm, or another realm).
 */
export function addDigestAuthorization(
  request: SipRequest,
  challenge: SipResponse,
  creds: ClientCredentials,
): boolean {
  const proxy = challenge.status === 407;
  const header = proxy ? 'proxy-authenticate' : 'www-authenticate';
  const values = challenge.getAll(header);
  // RFC 8760 §2.4: challenges come in order of the server's preference; take the first we support.
  for (const v of values) {
    const c = parseAuth(v);
    if (c?.scheme.toLowerCase() !== 'digest') continue;
    const algorithm = normalizeAlgorithm(c.params.get('algorithm'));
    const realm = c.params.get('realm');
    const nonce = c.params.get('nonce');
    if (!algorithm || realm === undefined || !nonce) continue;
    if (creds.realm !== undefined && creds.realm !== realm) continue;
    const qops = (c.params.get('qop') ?? '').split(',').map((q) => q.trim());
    const qop = qops.includes('auth') ? 'auth' : undefined;
    const cnonce = qop ? randomBytes(8).toString('hex') : undefined;
    const nc = qop ? '00000001' : undefined;
    const uri = request.uri.toString();
    const response = digestResponse({
      algorithm,
      username: creds.username,
      realm,
      password: creds.password,
      method: request.method,
      uri,
      nonce,
      qop,
      nc,
      cnonce,
    });
    const params = new Map<string, string>([
      ['username', creds.username],
      ['realm', realm],
      ['nonce', nonce],
      ['uri', uri],
      ['response', response],
      ['algorithm', algorithm],
    ]);
    const opaque = c.params.get('opaque');
    if (opaque !== undefined) params.set('opaque', opaque);
    if (qop) {
      params.set('qop', qop);
      params.set('nc', nc!);
      params.set('cnonce', cnonce!);
    }
    request.append(
      proxy ? 'proxy-authorization' : 'authorization',
      serializeAuth({ scheme: 'Digest', params }),
    );
    return true;
  }
  return false;
}
