import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createResponse } from './builders';
import type { SipRequest } from './message';
import { DEFAULT_LIMITS, parseMessage } from './parser';

const dir = join(import.meta.dirname, '../../test/rfc4475');
function parse(text: string | Buffer) {
  const r = parseMessage(text);
  if (!r.ok) throw new Error(r.error.reason);
  return r.message;
}
const simple =
  'OPTIONS sip:bob@example.com SIP/2.0\r\nv: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1, SIP/2.0/TCP 192.0.2.2;branch=z9hG4bK2\r\n' +
  'f: "A" <sip:a@example.com>;tag=1\r\nt: <sip:bob@example.com>\r\ni: c1\r\nCSeq: 1 OPTIONS\r\nl: 0\r\n\r\n';

describe('parser and serializer', () => {
  it('expands compact forms and splits comma-joined Via into separate values', () => {
    const m = parse(simple);
    expect(m.count('via')).toBe(2);
    expect(m.get('Call-ID')).toBe('c1');
    expect(m.toString()).toContain(
      '\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nVia: SIP/2.0/TCP 192.0.2.2;branch=z9hG4bK2\r\n',
    );
    expect(m.toString()).toContain(
      '\r\nFrom: "A" <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c1\r\n',
    );
  });

  it('serializes every valid RFC 4475 message canonically: re-parsing gives the same text', () => {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.dat'))) {
      const r = parseMessage(readFileSync(join(dir, f)));
      if (!r.ok) continue;
      const once = r.message.toBuffer();
      const again = parse(once).toBuffer();
      expect(again.equals(once), f).toBe(true);
    }
  });

  it('writes a canonical form of a tortuous message (wsinv.dat)', () => {
    const m = parse(readFileSync(join(dir, 'wsinv.dat')));
    const text = m.toString();
    expect(text).toContain('\r\nTo: <sip:vivekg@chair-dnrc.example.com>;tag=1918181833n\r\n');
    expect(text).toContain('\r\nVia: SIP/2.0/TCP spindle.example.com;branch=z9hG4bK9ikj8\r\n');
    expect(text).toContain('\r\nCSeq: 9 INVITE\r\n');
    expect(text).toContain('\r\nNewFangledHeader: newfangled value continued newfangled value\r\n');
  });

  it('reflects changes made through the typed objects', () => {
    const m = parse(simple) as SipRequest;
    m.via!.params.set('received', '10.0.0.1');
    m.from!.tag = 'changed';
    const text = m.toString();
    expect(text).toContain('Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;received=10.0.0.1\r\n');
    expect(text).toContain('From: "A" <sip:a@example.com>;tag=changed\r\n');
    const res = createResponse(m, 200);
    expect(res.to?.tag).toBeTruthy();
    expect(res.get('via')).toContain('received=10.0.0.1');
  });

  it('enforces the hard limits with a clear reason', () => {
    const big = parseMessage(Buffer.alloc(DEFAULT_LIMITS.maxMessageSize + 1, 65));
    expect(!big.ok && big.error.reason).toMatch(/message too large/);
    const many = simple.replace('l: 0\r\n', 'X-A: 1\r\n'.repeat(200) + 'l: 0\r\n');
    const r = parseMessage(many);
    expect(!r.ok && r.error.reason).toMatch(/too many header fields \(limit 128\)/);
    const long = simple.replace('l: 0\r\n', `X-Long: ${'a'.repeat(9000)}\r\nl: 0\r\n`);
    const r2 = parseMessage(long);
    expect(!r2.ok && r2.error.reason).toMatch(/too long/);
  });

  it('unfolds continuation lines and reads a body by Content-Length', () => {
    const m = parse(
      simple
        .replace('i: c1\r\n', 'Subject: first\r\n  second\r\n\tthird\r\ni: c1\r\n')
        .replace('l: 0', 'l: 3') + 'abcEXTRA',
    );
    expect(m.get('subject')).toBe('first second third');
    expect(m.bodyText).toBe('abc');
  });
});
