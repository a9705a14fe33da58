import { describe, expect, it } from 'vitest';
import { createResponse } from '../messages/builders';
import type { SipRequest } from '../messages/message';
import { parseMessage } from '../messages/parser';
import { digestResponse } from './digest';
import { addDigestAuthorization } from './digest-client';
import { DigestServer } from './digest-server';

function register(): SipRequest {
  const r = parseMessage(
    'REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKabc\r\n' +
      'From: <sip:1001@example.com>;tag=1\r\nTo: <sip:1001@example.com>\r\nCall-ID: reg1\r\nCSeq: 1 REGISTER\r\n' +
      'Contact: <sip:1001@127.0.0.1:5062>\r\nContent-Length: 0\r\n\r\n',
  );
  if (!r.ok) throw new Error(r.error.reason);
  return r.message as SipRequest;
}
const lookup = (user: string) => (user === '1001' ? { password: 's3cret' } : undefined);

describe('digest authentication', () => {
  for (const algorithm of ['SHA-256', 'MD5'] as const) {
    it(`${algorithm}: challenge, answer once, accept`, async () => {
      const server = new DigestServer({ realm: 'example.com', algorithms: [algorithm] });
      const req = register();
      expect(await server.verify(req, lookup)).toEqual({ ok: false, reason: 'missing' });
      const challenge = server.challenge(req);
      expect(challenge.status).toBe(401);
      expect(challenge.get('www-authenticate')).toContain(`algorithm=${algorithm}`);
      const retry = req.clone();
      expect(addDigestAuthorization(retry, challenge, { username: '1001', password: 's3cret' })).toBe(true);
      expect(await server.verify(retry, lookup)).toEqual({ ok: true, username: '1001' });
      // The same nonce-count again is a replay.
      expect(await server.verify(retry, lookup)).toEqual({ ok: false, reason: 'replay' });
    });
  }

  it('an answer without qop is good once: the same answer again is a replay, a new challenge works', async () => {
    const server = new DigestServer({ realm: 'example.com', algorithms: ['MD5'] });
    const req = register();
    const challenge = server.challenge(req);
    // A client from before qop (RFC 2069) sees no qop in the challenge and answers without one.
    const legacy = createResponse(req, 401);
    legacy.set('www-authenticate', challenge.get('www-authenticate')!.replace(/,\s*qop=auth/, ''));
    const first = req.clone();
    expect(addDigestAuthorization(first, legacy, { username: '1001', password: 's3cret' })).toBe(true);
    expect(first.get('authorization')).not.toContain('qop');
    expect(await server.verify(first, lookup)).toEqual({ ok: true, username: '1001' });
    expect(await server.verify(first, lookup)).toEqual({ ok: false, reason: 'replay' });
    const fresh = server.challenge(req);
    const again = req.clone();
    addDigestAuthorization(
      again,
      (() => {
        const r = createResponse(req, 401);
        r.set('www-authenticate', fresh.get('www-authenticate')!.replace(/,\s*qop=auth/, ''));
        return r;
      })(),
      { username: '1001', password: 's3cret' },
    );
    expect(await server.verify(again, lookup)).toEqual({ ok: true, username: '1001' });
  });

  it('prefers the first algorithm offered (RFC 8760) and rejects a wrong password', async () => {
    const server = new DigestServer({ realm: 'example.com' });
    const req = register();
    const challenge = server.challenge(req);
    expect(challenge.getAll('www-authenticate')).toHaveLength(2);
    addDigestAuthorization(req, challenge, { username: '1001', password: 'wrong' });
    expect(req.get('authorization')).toContain('algorithm=SHA-256');
    expect(await server.verify(req, lookup)).toEqual({ ok: false, reason: 'bad-digest' });
  });

  it('an expired nonce with a correct digest is stale=true', async () => {
    let now = 1_000_000;
    const server = new DigestServer({ realm: 'example.com', nonceTtlMs: 1000, now: () => now });
    const req = register();
    addDigestAuthorization(req, server.challenge(req), { username: '1001', password: 's3cret' });
    now += 5000;
    const result = await server.verify(req, lookup);
    expect(result).toEqual({ ok: false, reason: 'stale' });
    expect(server.rejection(req, result).get('www-authenticate')).toContain('stale=true');
  });

  it('a nonce from another secret is refused', async () => {
    const a = new DigestServer({ realm: 'example.com', secret: 'a' });
    const b = new DigestServer({ realm: 'example.com', secret: 'b' });
    const req = register();
    addDigestAuthorization(req, a.challenge(req), { username: '1001', password: 's3cret' });
    expect(await b.verify(req, lookup)).toEqual({ ok: false, reason: 'bad-nonce' });
    expect(await a.verify(req, lookup)).toEqual({ ok: true, username: '1001' });
  });

  it('the client answers 407 with Proxy-Authorization', () => {
    const server = new DigestServer({ realm: 'carrier', proxy: true });
    const req = register();
    const ch = server.challenge(req);
    expect(ch.status).toBe(407);
    expect(addDigestAuthorization(req, ch, { username: 'u', password: 'p' })).toBe(true);
    expect(req.get('proxy-authorization')).toMatch(/^Digest username="u"/);
    expect(addDigestAuthorization(req, createResponse(req, 401), { username: 'u', password: 'p' })).toBe(
      false,
    );
  });

  it('a wrong digest spends the nonce: the right password over it is refused, a new challenge works', async () => {
    const server = new DigestServer({ realm: 'example.com', algorithms: ['MD5'] });
    const req = register();
    const challenge = server.challenge(req);
    const guess = req.clone();
    addDigestAuthorization(guess, challenge, { username: '1001', password: 'wrong' });
    expect(await server.verify(guess, lookup)).toEqual({ ok: false, reason: 'bad-digest' });
    const right = req.clone();
    addDigestAuthorization(right, challenge, { username: '1001', password: 's3cret' });
    expect(await server.verify(right, lookup)).toEqual({ ok: false, reason: 'bad-nonce' });
    const fresh = req.clone();
    const next = server.challenge(req);
    expect(next.get('www-authenticate')).not.toBe(challenge.get('www-authenticate'));
    addDigestAuthorization(fresh, next, { username: '1001', password: 's3cret' });
    expect(await server.verify(fresh, lookup)).toEqual({ ok: true, username: '1001' });
  });

  it('a nonce authenticates maxNonceUses requests (nonce-count growing), then the client is sent a new one (stale)', async () => {
    const server = new DigestServer({ realm: 'example.com', algorithms: ['MD5'], maxNonceUses: 3 });
    const req = register();
    const nonce = /nonce="([^"]+)"/.exec(server.challenge(req).get('www-authenticate')!)![1]!;
    const results = [];
    for (let i = 1; i <= 4; i++) {
      const again = req.clone();
      const nc = i.toString(16).padStart(8, '0');
      const response = digestResponse({
        algorithm: 'MD5',
        username: '1001',
        realm: 'example.com',
        password: 's3cret',
        method: 'REGISTER',
        uri: 'sip:example.com',
        nonce,
        qop: 'auth',
        nc,
        cnonce: 'c0ffee',
      });
      again.set(
        'authorization',
        `Digest username="1001", realm="example.com", nonce="${nonce}", uri="sip:example.com", response="${response}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="c0ffee"`,
      );
      results.push(await server.verify(again, lookup));
    }
    expect(results.slice(0, 3).every((r) => r.ok)).toBe(true);
    expect(results[3]).toEqual({ ok: false, reason: 'stale' });
  });
});
