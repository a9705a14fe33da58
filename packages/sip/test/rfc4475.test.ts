import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DigestServer } from '../src/auth/digest-server';
import {
  errorResponseFor,
  parseMessage,
  type SipMessageAny,
  SipRequest,
  type SipResponse,
  type SipUri,
} from '../src/index';
import { createResponse } from '../src/messages/builders';
import { checkRequest } from '../src/messages/validation';
import { TransactionLayer } from '../src/transactions/transaction-layer';

// One test per RFC 4475 torture message; the comment on each names the section it follows.
const dir = join(import.meta.dirname, 'rfc4475');
const load = (f: string) => readFileSync(join(dir, f));

function valid(file: string): SipMessageAny {
  const r = parseMessage(load(file), { datagram: true });
  if (!r.ok) throw new Error(`${file} rejected: ${r.error.reason}`);
  return r.message;
}
function validRequest(file: string): SipRequest {
  const m = valid(file);
  expect(m).toBeInstanceOf(SipRequest);
  return m as SipRequest;
}
/** Invalid request: rejected, and a 400 (or given status) can be built from what was read. */
function rejected(file: string, status = 400): string {
  const r = parseMessage(load(file), { datagram: true });
  expect(r.ok).toBe(false);
  if (r.ok) return '';
  expect(r.error.isRequest).toBe(true);
  expect(r.error.status).toBe(status);
  const res = errorResponseFor(r.error, 'abc');
  expect(res).toBeDefined();
  const text = res!.toString();
  expect(text.startsWith(`SIP/2.0 ${status} `)).toBe(true);
  // §8.2.6: the response echoes the request's Via, From, To, Call-ID and CSeq as received.
  expect(text).toMatch(/\r\nVia: SIP\//);
  expect(text.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  return r.error.reason;
}
/** Invalid response: dropped (no response to a response). */
function dropped(file: string) {
  const r = parseMessage(load(file), { datagram: true });
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.isRequest).toBe(false);
  expect(errorResponseFor(r.error, 'x')).toBeUndefined();
}
function appStatus(file: string): number | undefined {
  return checkRequest(validRequest(file))?.status;
}
const sipUri = (u: unknown) => u as SipUri;

describe('RFC 4475 §3.1.1 valid messages', () => {
  it('wsinv.dat — 3.1.1.1 short tortuous INVITE', () => {
    const m = validRequest('wsinv.dat');
    expect(m.method).toBe('INVITE');
    expect(sipUri(m.uri).params.has('unknownparam')).toBe(true);
    expect(m.to?.tag).toBe('1918181833n');
    expect(m.from?.tag).toBe('98asjd8');
    expect(m.from?.displayName).toBe('J Rosenberg \\"');
    expect(m.get('max-forwards')).toBe('0068');
    expect(m.cseq).toEqual({ seq: 9, method: 'INVITE' });
    const vias = m.vias();
    expect(vias.map((v) => v.transport)).toEqual(['UDP', 'TCP', 'UDP']);
    expect(vias[1]?.host).toBe('spindle.example.com');
    expect(vias[1]?.branch).toBe('z9hG4bK9ikj8');
    expect(vias[2]?.branch).toBe('z9hG4bK30239');
    expect(m.get('subject')).toBe('');
    expect(m.get('newfangledheader')).toBe('newfangled value continued newfangled value');
    expect(m.get('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    expect(m.contact?.displayName).toBe('Quoted string ""');
    expect(m.contact?.params.get('q')).toBe('0.33');
    expect(m.contact?.params.has('secondparam')).toBe(true);
    expect(m.body.length).toBe(150);
    expect(m.nameAddrs('route')[0]?.uri.toString()).toBe(
      'sip:services.example.com;lr;unknownwith=value;unknown-no-value',
    );
  });

  it('intmeth.dat — 3.1.1.2 wide range of valid characters', () => {
    const m = validRequest('intmeth.dat');
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    const uri = sipUri(m.uri);
    expect(uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(m.to?.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(m.from?.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(m.from?.tag).toBe("_token~1'+`*%!-.");
    expect(m.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(m.get("extensionHeader-!.%*+_`'~")).toBe('\uFEFF\u5927\u505C\u96FB');
  });

  it('esc01.dat — 3.1.1.3 valid use of % escaping', () => {
    const m = validRequest('esc01.dat');
    expect(sipUri(m.uri).user).toBe('sips:user@example.com');
    expect(sipUri(m.to?.uri).user).toBe('user');
    expect(sipUri(m.from?.uri).user).toBe('I have spaces');
    const c = sipUri(m.contact?.uri);
    expect(c.user).toBe('caller');
    expect(c.params.has('lr')).toBe(true);
    expect(c.params.get('name')).toBe('value%41');
  });

  it('escnull.dat — 3.1.1.4 escaped nulls in URIs', () => {
    const m = validRequest('escnull.dat');
    expect(sipUri(m.to?.uri).user).toBe('null-\x00-null');
    expect(m.contacts().map((c) => sipUri(c.uri).user)).toEqual(['\x00', '\x00\x00']);
  });

  it('esc02.dat — 3.1.1.5 % that is not an escape', () => {
    const m = validRequest('esc02.dat');
    expect(m.method).toBe('RE%47IST%45R');
    expect(m.to?.displayName).toBe('%Z%45');
    expect(m.via?.branch).toBe('z9hG4bK209%fzsnel234');
    expect(m.contacts()).toHaveLength(2);
    expect(m.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    expect(appStatus('esc02.dat')).toBeUndefined();
  });

  it('lwsdisp.dat — 3.1.1.6 no LWS between display name and <', () => {
    const m = validRequest('lwsdisp.dat');
    expect(m.from?.displayName).toBe('caller');
    expect(m.from?.tag).toBe('323');
  });

  it('longreq.dat — 3.1.1.7 long values in header fields', () => {
    const m = validRequest('longreq.dat');
    expect(m.from?.tag?.length).toBeGreaterThan(150);
    expect(m.vias().length).toBe(34);
    expect(sipUri(m.to?.uri).port).toBe(6000);
    expect(m.body.length).toBe(150);
  });

  it('dblreq.dat — 3.1.1.8 extra trailing octets in a UDP datagram', () => {
    const m = validRequest('dblreq.dat');
    expect(m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
    expect(m.callId).toBe('dblreq.0ha0isndaksdj99sdfafnl3lk233412');
  });

  it('semiuri.dat — 3.1.1.9 semicolons in URI user part', () => {
    const m = validRequest('semiuri.dat');
    const uri = sipUri(m.uri);
    expect(uri.user).toBe('user;par=u@example.net');
    expect(uri.host).toBe('example.com');
    expect(uri.params.size).toBe(0);
    expect(m.get('accept')).toContain('message/sipfrag');
  });

  it('transports.dat — 3.1.1.10 varied and unknown transports', () => {
    const m = validRequest('transports.dat');
    expect(m.vias().map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  });

  it('mpart01.dat — 3.1.1.11 multipart MIME body', () => {
    const m = validRequest('mpart01.dat');
    expect(m.contentType).toBe('multipart/mixed');
    expect(m.body.length).toBe(553);
    expect(m.via?.rport).toBe(null);
    expect(appStatus('mpart01.dat')).toBeUndefined();
  });

  it('unreason.dat — 3.1.1.12 unusual reason phrase', () => {
    const m = valid('unreason.dat') as SipResponse;
    expect(m.status).toBe(200);
    expect(m.reason.startsWith('= 2**3 * 5**2 ')).toBe(true);
    expect(m.body.length).toBe(154);
  });

  it('noreason.dat — 3.1.1.13 empty reason phrase', () => {
    const m = valid('noreason.dat') as SipResponse;
    expect(m.status).toBe(100);
    expect(m.reason).toBe('');
  });
});

describe('RFC 4475 §3.1.2 invalid messages', () => {
  it('badinv01.dat — 3.1.2.1 extraneous header field separators', () => rejected('badinv01.dat'));
  it('clerr.dat — 3.1.2.2 Content-Length larger than message (UDP)', () => {
    expect(rejected('clerr.dat')).toMatch(/Content-Length/);
  });
  it('ncl.dat — 3.1.2.3 negative Content-Length', () => rejected('ncl.dat'));
  it('scalar02.dat — 3.1.2.4 request scalar fields with overlarge values', () => {
    expect(rejected('scalar02.dat')).toMatch(/CSeq|Max-Forwards|Expires/);
  });
  it('scalarlg.dat — 3.1.2.5 response scalar fields with overlarge values', () => dropped('scalarlg.dat'));
  it('quotbal.dat — 3.1.2.6 unterminated quoted string in display name', () => rejected('quotbal.dat'));
  it('ltgtruri.dat — 3.1.2.7 <> enclosing Request-URI', () => rejected('ltgtruri.dat'));
  it('lwsruri.dat — 3.1.2.8 embedded LWS in Request-URI', () => rejected('lwsruri.dat'));
  it('lwsstart.dat — 3.1.2.9 multiple SP in Request-Line', () => rejected('lwsstart.dat'));
  it('trws.dat — 3.1.2.10 SP at end of Request-Line', () => rejected('trws.dat'));
  it('escruri.dat — 3.1.2.11 escaped headers in Request-URI', () => rejected('escruri.dat'));
  it('baddate.dat — 3.1.2.12 invalid time zone in Date', () => rejected('baddate.dat'));
  it('regbadct.dat — 3.1.2.13 name-addr URI with ? not enclosed in <>', () => rejected('regbadct.dat'));
  it('badaspec.dat — 3.1.2.14 spaces within addr-spec', () => rejected('badaspec.dat'));
  it('baddn.dat — 3.1.2.15 non-token characters in display name', () => rejected('baddn.dat'));
  // §3.1.2.16 says an element should answer 505 Version Not Supported.
  it('badvers.dat — 3.1.2.16 unknown protocol version', () => rejected('badvers.dat', 505));
  it('mismatch01.dat — 3.1.2.17 start line and CSeq method mismatch', () => rejected('mismatch01.dat'));
  it('mismatch02.dat — 3.1.2.18 unknown method with CSeq mismatch', () => rejected('mismatch02.dat'));
  it('bigcode.dat — 3.1.2.19 overlarge response code', () => dropped('bigcode.dat'));
});

describe('RFC 4475 §3.2 transaction layer', () => {
  it('badbranch.dat — 3.2.1 cookie-only branch falls back to RFC 2543 matching', () => {
    const layer = new TransactionLayer();
    const sent: unknown[] = [];
    const first = validRequest('badbranch.dat');
    const tx = layer.createServer(first, { reliable: true, send: (m) => void sent.push(m) });
    tx.respond(createResponse(first, 200));
    const again = validRequest('badbranch.dat');
    expect(layer.findServer(again)).toBe(tx);
    tx.receiveRequest(again);
    expect(sent).toHaveLength(2);
    layer.clear();
  });
});

describe('RFC 4475 §3.3 application layer', () => {
  it('insuf.dat — 3.3.1 missing required header fields: 400', () => {
    // Answered even without From, To and Call-ID to copy: Via and CSeq are enough to match it.
    expect(rejected('insuf.dat')).toMatch(/missing/);
  });
  it('unkscm.dat — 3.3.2 unknown Request-URI scheme: 416', () => expect(appStatus('unkscm.dat')).toBe(416));
  it('novelsc.dat — 3.3.3 known but atypical scheme: 416', () => expect(appStatus('novelsc.dat')).toBe(416));
  it('unksm2.dat — 3.3.4 unknown schemes in header fields are processed', () => {
    const m = validRequest('unksm2.dat');
    expect(m.to?.uri.toString()).toBe('isbn:2983792873');
    expect(m.from?.uri.scheme).toBe('http');
    expect(m.contact?.uri.toString()).toBe('name:John_Smith');
    expect(appStatus('unksm2.dat')).toBeUndefined();
  });
  it('bext01.dat — 3.3.5 Require/Proxy-Require: 420 with Unsupported', () => {
    const rej = checkRequest(validRequest('bext01.dat'));
    expect(rej?.status).toBe(420);
    expect(rej?.headers).toContainEqual(['Unsupported', 'nothingSupportsThis, nothingSupportsThisEither']);
  });
  it('invut.dat — 3.3.6 unknown Content-Type: 415 with Accept', () => {
    const rej = checkRequest(validRequest('invut.dat'));
    expect(rej?.status).toBe(415);
    expect(rej?.headers[0]?.[0]).toBe('Accept');
  });
  it('regaut01.dat — 3.3.7 unknown Authorization scheme: 401 with a Digest challenge', async () => {
    const req = validRequest('regaut01.dat');
    const server = new DigestServer({ realm: 'example.com' });
    const result = await server.verify(req, () => ({ password: 'x' }));
    expect(result.ok).toBe(false);
    const res = server.rejection(req, result);
    expect(res.status).toBe(401);
    expect(res.get('www-authenticate')).toMatch(/^Digest realm="example.com"/);
  });
  it('multi01.dat — 3.3.8 multiple values in single-value fields: 400', () => rejected('multi01.dat'));
  it('mcl01.dat — 3.3.9 multiple Content-Length values: 400', () => rejected('mcl01.dat'));
  it('bcast.dat — 3.3.10 200 OK with broadcast Via parses; it matches no transaction', () => {
    const m = valid('bcast.dat') as SipResponse;
    expect(m.status).toBe(200);
    expect(m.vias()[1]?.host).toBe('255.255.255.255');
  });
  it('zeromf.dat — 3.3.11 Max-Forwards of zero: 483', () => expect(appStatus('zeromf.dat')).toBe(483));
  it('cparam01.dat — 3.3.12 REGISTER with a Contact header parameter', () => {
    const c = validRequest('cparam01.dat').contact;
    expect(c?.params.has('unknownparam')).toBe(true);
    expect(sipUri(c?.uri).params.size).toBe(0);
  });
  it('cparam02.dat — 3.3.13 REGISTER with a url-parameter', () => {
    const c = validRequest('cparam02.dat').contact;
    expect(c?.params.size).toBe(0);
    expect(sipUri(c?.uri).params.has('unknownparam')).toBe(true);
  });
  it('regescrt.dat — 3.3.14 REGISTER with a URL escaped header', () => {
    const c = validRequest('regescrt.dat').contact;
    expect(sipUri(c?.uri).headers.get('Route')).toBe('<sip:sip.example.com>');
    expect(c?.uri.toString()).toBe('sip:user@example.com?Route=%3Csip:sip.example.com%3E');
  });
  it('sdp01.dat — 3.3.15 unacceptable Accept offering: 406', () => expect(appStatus('sdp01.dat')).toBe(406));
});

describe('RFC 4475 §3.4 backward compatibility', () => {
  it('inv2543.dat — 3.4.1 RFC 2543 INVITE is accepted', () => {
    const m = validRequest('inv2543.dat');
    expect(m.via?.branch).toBeUndefined();
    expect(m.has('max-forwards')).toBe(false);
    expect(m.body.toString()).toContain('m=audio 49217 RTP/AVP 0');
    expect(appStatus('inv2543.dat')).toBeUndefined();
  });
});
