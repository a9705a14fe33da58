import { createHash } from 'node:crypto';

/** RFC 8760 algorithms; MD5 kept for the many carriers and phones that know nothing else. */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

export function normalizeAlgorithm(a: string | undefined): DigestAlgorithm | undefined {
  const u = (a ?? 'MD5').toUpperCase();
  return u === 'MD5' || u === 'SHA-256' ? u : undefined;
}

export function digestHash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(text, 'utf8')
    .digest('hex');
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password?: string;
  /** H(username:realm:password), for stores that keep no clear-text passwords. */
  ha1?: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}

/** request-digest of RFC 2617 §3.2.2.1 / RFC 3261 §22.4 (qop=auth or no qop). */
export function digestResponse(i: DigestInput): string {
  const ha1 = i.ha1 ?? digestHash(i.algorithm, `${i.username}:${i.realm}:${i.password ?? ''}`);
  const ha2 = digestHash(i.algorithm, `${i.method}:${i.uri}`);
  if (i.qop) return digestHash(i.algorithm, `${ha1}:${i.nonce}:${i.nc}:${i.cnonce}:${i.qop}:${ha2}`);
  return digestHash(i.algorithm, `${ha1}:${i.nonce}:${ha2}`);
}
