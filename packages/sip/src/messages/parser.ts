import {
  isDigits as isDigits_,
  isToken as isToken_,
  isWord as isWord_,
  splitList as splitList_,
  TOKEN as TOKEN_,
  trimWs as trimWs_,
} from './grammar';
import {
  headerKey as headerKey_,
  isKnownHeader,
  isSipDate as isSipDate_,
  LIST_HEADERS,
  parseCSeq as parseCSeq_,
  parseNameAddr as parseNameAddr_,
  parseUInt as parseUInt_,
  parseVia as parseVia_,
} from './headers';
import { SipRequest, SipResponse } from './message';
import { parseUri as parseUri_ } from './uri';

// Module-local aliases: tsx/esbuild turn imported bindings into getters, too slow per character.
const headerKey = headerKey_;
const isSipDate = isSipDate_;
const parseCSeq = parseCSeq_;
const parseNameAddr = parseNameAddr_;
const parseUInt = parseUInt_;
const parseVia = parseVia_;
const parseUri = parseUri_;
const isDigits = isDigits_;
const isToken = isToken_;
const isWord = isWord_;
const splitList = splitList_;
const TOKEN = TOKEN_;
const trimWs = trimWs_;

export interface ParseLimits {
  /** Largest message accepted, head and body together (bytes). */
  maxMessageSize: number;
  /** Largest number of header field lines. */
  maxHeaders: number;
  /** Longest single line (after unfolding), in characters. */
  maxLineLength: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxMessageSize: 65_535, maxHeaders: 128, maxLineLength: 8_192 };

export interface ParseOptions {
  /**
   * Datagram semantics (RFC 3261 §18.3): octets past Content-Length are discarded, a missing
   * Content-Length means "to the end of the datagram", and a Content-Length larger than the
   * datagram is an error. Stream transports pass false: the framer has already cut the message.
   */
  datagram?: boolean;
  limits?: ParseLimits;
}

/** Why a message could not be accepted, with what is needed to answer it if it was a request. */
export interface ParseFailure {
  reason: string;
  /** Status to answer with when the message is a request (400, 505, 413). */
  status: number;
  /** true for a request, false for a response, undefined if the start line was unreadable. */
  isRequest?: boolean;
  /** Raw header values by key, when the header block could be split; used to build the error response. */
  headers?: Map<string, string[]>;
}

export type ParseResult =
  | { ok: true; message: SipRequest | SipResponse }
  | { ok: false; error: ParseFailure };

const CRLFCRLF = Buffer.from('\r\n\r\n');
const SINGLE = ['from', 'to', 'call-id', 'cseq', 'max-forwards', 'content-length', 'content-type', 'expires'];
const MAX_UINT32 = 0xffffffff;

function fail(
  reason: string,
  isRequest?: boolean,
  headers?: Map<string, string[]>,
  status = 400,
): ParseResult {
  return { ok: false, error: { reason, status, isRequest, headers } };
}

function addField(raw: Map<string, string[]>, name: string, value: string): string {
  const key = headerKey(name);
  const list = raw.get(key);
  if (list) list.push(value);
  else raw.set(key, [value]);
  return key;
}

/** Number of leading CRLF keep-alive octets (RFC 5626 §3.5.1) before a message. */
export function skipLeadingCrlf(buf: Buffer, start = 0): number {
  let i = start;
  while (i < buf.length && (buf[i] === 13 || buf[i] === 10)) i++;
  return i;
}

/**
 * Parses one SIP message. Never throws: every problem comes back as a ParseFailure with a reason.
 */
export function parseMessage(input: Buffer | string, options: ParseOptions = {}): ParseResult {
  try {
    return parseUnsafe(typeof input === 'string' ? Buffer.from(input, 'utf8') : input, options);
  } catch (e) {
    // The parser is written not to throw; this is a last line of defence for the network edge.
    return fail('internal parser error: ' + (e instanceof Error ? e.message : String(e)));
  }
}

function parseUnsafe(buf: Buffer, options: ParseOptions): ParseResult {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const datagram = options.datagram ?? true;
  if (buf.length > limits.maxMessageSize) {
    return fail(
      `message too large (${buf.length} > ${limits.maxMessageSize} bytes)`,
      undefined,
      undefined,
      513,
    );
  }
  const start = skipLeadingCrlf(buf);
  if (start >= buf.length) return fail('empty message');
  const headEnd = buf.indexOf(CRLFCRLF, start);
  if (headEnd < 0) return fail('no empty line after the header fields');
  const head = buf.toString('utf8', start, headEnd);

  let lineEnd = head.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = head.length;
  const startLine = head.slice(0, lineEnd);
  if (startLine.length > limits.maxLineLength) return fail('start line too long');
  const first = parseStartLine(startLine);
  let message: SipRequest | SipResponse | undefined;
  if (first instanceof SipRequest || first instanceof SipResponse) message = first;
  else if ('ok' in first) return first;
  const isRequest = !(message instanceof SipResponse);

  const raw = new Map<string, string[]>();
  const headerFailure = readHeaderFields(head, lineEnd + 2, limits, isRequest, message, raw);
  if (headerFailure) return headerFailure;
  // A bad request line is answered once the header fields are known, so the 400 can reach the client.
  if (message === undefined) {
    const deferred = first as RequestLineError;
    return fail(deferred.reason, true, raw, deferred.status);
  }
  const fields = message.rawFields();
  return (
    storeFields(raw, fields, isRequest) ??
    frameBody(buf, headEnd + 4, raw, datagram, message, isRequest) ??
    checkMandatoryHeaders(raw, fields, message, isRequest) ??
    checkOptionalHeaders(raw, fields, isRequest) ?? { ok: true, message }
  );
}

/** A request-line problem, answered (400 or 505) once the header fields have been read. */
interface RequestLineError {
  reason: string;
  status: number;
}

/** The message's header values by key, as the parser fills them in. */
type Fields = ReturnType<SipRequest['rawFields']>;

/**
 * The start line (RFC 3261 §7.1 Request-Line, §7.2 Status-Line). A bad status line fails at once; a
 * bad request line comes back as a RequestLineError so the header fields can still be read to answer it.
 */
function parseStartLine(startLine: string): SipRequest | SipResponse | RequestLineError | ParseResult {
  if (
    startLine.startsWith('SIP/') &&
    !startLine.startsWith('SIP/2.0 ') &&
    /^SIP\/\d+\.\d+ \d/.test(startLine)
  ) {
    return fail('unsupported SIP version in status line', false);
  }
  if (startLine.startsWith('SIP/2.0 ')) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    const code = startLine.slice(8, 11);
    if (
      !isDigits(code) ||
      startLine.length < 11 ||
      (startLine.length > 11 && startLine.charCodeAt(11) !== 32)
    ) {
      return fail('malformed status code', false);
    }
    const status = Number(code);
    if (status < 100 || status > 699) return fail('status code out of range', false);
    return new SipResponse(status, startLine.slice(12));
  }
  return parseRequestLine(startLine);
}

/** Request-Line = Method SP Request-URI SP SIP-Version; exactly one SP between (RFC 4475 §3.1.2.9–10). */
function parseRequestLine(startLine: string): SipRequest | RequestLineError {
  const sp1 = startLine.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : startLine.indexOf(' ', sp1 + 1);
  const method = sp1 > 0 ? startLine.slice(0, sp1) : '';
  const uriText = sp2 > 0 ? startLine.slice(sp1 + 1, sp2) : '';
  const version = sp2 > 0 ? startLine.slice(sp2 + 1) : '';
  const uri = uriText.length > 0 ? parseUri(uriText) : undefined;
  if (sp1 <= 0 || sp2 < 0 || uriText.length === 0) return { reason: 'malformed request line', status: 400 };
  if (!isToken(method)) return { reason: 'invalid method token', status: 400 };
  if (version !== 'SIP/2.0' && !/^SIP\/\d+\.\d+$/i.test(version))
    return { reason: 'malformed SIP version in request line', status: 400 };
  if (!uri) return { reason: 'malformed Request-URI', status: 400 };
  // §19.1.1 table: a Request-URI must not carry URI headers (RFC 4475 §3.1.2.11).
  if (uri.type === 'sip' && uri.hasHeaders)
    return { reason: 'Request-URI must not contain headers', status: 400 };
  if (version !== 'SIP/2.0' && version.toUpperCase() !== 'SIP/2.0')
    return { reason: 'SIP version ' + version + ' not supported', status: 505 };
  return new SipRequest(method, uri, 'SIP/2.0');
}

/**
 * Splits the header block into raw values by key, unfolding continuation lines (§7.3.1), and names
 * unknown headers on the message as they were spelled. Returns a failure, or undefined when all is read.
 */
function readHeaderFields(
  head: string,
  from: number,
  limits: ParseLimits,
  isRequest: boolean,
  message: SipRequest | SipResponse | undefined,
  raw: Map<string, string[]>,
): ParseResult | undefined {
  let count = 0;
  let pos = from;
  let curName: string | undefined;
  let curValue = '';
  while (pos < head.length) {
    let e = head.indexOf('\r\n', pos);
    if (e < 0) e = head.length;
    if (e - pos > limits.maxLineLength) return fail('header line too long', isRequest, raw);
    const lineStart = pos;
    pos = e + 2;
    const c0 = head.charCodeAt(lineStart);
    if (c0 === 32 || c0 === 9) {
      if (curName === undefined) return fail('continuation line before any header', isRequest);
      const more = trimWs(head.slice(lineStart, e));
      curValue = curValue.length === 0 ? more : curValue + ' ' + more;
      continue;
    }
    if (curName !== undefined) {
      if (curValue.length > limits.maxLineLength) return fail(`header ${curName} too long`, isRequest, raw);
      const key = addField(raw, curName, curValue);
      if (!isKnownHeader(key)) message?.nameHeader(key, curName);
    }
    if (++count > limits.maxHeaders)
      return fail(`too many header fields (limit ${limits.maxHeaders})`, isRequest, raw);
    // Scan the name in place: token characters, optional whitespace, then ':'.
    let i = lineStart;
    while (i < e) {
      const c = head.charCodeAt(i);
      if (c > 127 || TOKEN[c] !== 1) break;
      i++;
    }
    const nameEnd = i;
    while (i < e && (head.charCodeAt(i) === 32 || head.charCodeAt(i) === 9)) i++;
    if (nameEnd === lineStart || i >= e || head.charCodeAt(i) !== 58) {
      return fail(
        i < e && nameEnd > lineStart && head.charCodeAt(i) !== 58
          ? 'invalid header name'
          : 'header line without a colon',
        isRequest,
        raw,
      );
    }
    i++;
    while (i < e && (head.charCodeAt(i) === 32 || head.charCodeAt(i) === 9)) i++;
    let ve = e;
    while (ve > i && (head.charCodeAt(ve - 1) === 32 || head.charCodeAt(ve - 1) === 9)) ve--;
    curName = head.slice(lineStart, nameEnd);
    curValue = head.slice(i, ve);
  }
  if (curName !== undefined) {
    if (curValue.length > limits.maxLineLength) return fail(`header ${curName} too long`, isRequest, raw);
    const key = addField(raw, curName, curValue);
    if (!isKnownHeader(key)) message?.nameHeader(key, curName);
  }
  return undefined;
}

/**
 * Copies the raw values onto the message, comma-separated lists split into elements (§7.3.1), and
 * refuses single-valued headers that appear more than once (RFC 4475 §3.3.8, §3.3.9).
 */
function storeFields(
  raw: Map<string, string[]>,
  fields: Fields,
  isRequest: boolean,
): ParseResult | undefined {
  for (const [key, values] of raw) {
    if (LIST_HEADERS.has(key)) {
      const out: string[] = [];
      for (const v of values) {
        if (v.indexOf(',') < 0) {
          if (v.length === 0) return fail(`empty ${key} header`, isRequest, raw);
          out.push(v);
          continue;
        }
        const parts = splitList(v);
        if (!parts) return fail(`empty element in ${key} list`, isRequest, raw);
        for (const p of parts) out.push(p);
      }
      fields.set(key, out);
    } else fields.set(key, values);
  }
  for (const key of SINGLE) {
    const v = raw.get(key);
    if (v && v.length > 1) return fail(`multiple ${key} header fields`, isRequest, raw);
  }
  return undefined;
}

/** Body framing by Content-Length (§18.3; §20.14); datagram semantics as ParseOptions describes. */
function frameBody(
  buf: Buffer,
  bodyStart: number,
  raw: Map<string, string[]>,
  datagram: boolean,
  msg: SipRequest | SipResponse,
  isRequest: boolean,
): ParseResult | undefined {
  const clText = raw.get('content-length')?.[0];
  let bodyEnd = buf.length;
  if (clText !== undefined) {
    const cl = parseUInt(clText, MAX_UINT32);
    if (cl === undefined) return fail('invalid Content-Length', isRequest, raw);
    if (bodyStart + cl > buf.length) {
      return fail('Content-Length larger than the message', isRequest, raw);
    }
    bodyEnd = bodyStart + cl;
  } else if (!datagram) {
    bodyEnd = bodyStart;
  }
  msg.body = bodyEnd > bodyStart ? buf.subarray(bodyStart, bodyEnd) : msg.body;
  return undefined;
}

/**
 * Mandatory headers (§8.1.1): To, From, CSeq, Call-ID, Via, each parsed onto the message. Max-Forwards
 * is not demanded because RFC 2543 peers omit it (RFC 4475 §3.4.1).
 */
function checkMandatoryHeaders(
  raw: Map<string, string[]>,
  fields: Fields,
  msg: SipRequest | SipResponse,
  isRequest: boolean,
): ParseResult | undefined {
  for (const key of ['to', 'from', 'call-id', 'cseq', 'via']) {
    if (!raw.has(key)) return fail(`missing ${key} header`, isRequest, raw);
  }
  for (let i = 0; i < (fields.get('via')?.length ?? 0); i++) {
    const v = fields.get('via')?.[i];
    const via = typeof v === 'string' ? parseVia(v) : undefined;
    if (!via) return fail('malformed Via header', isRequest, raw);
    fields.get('via')![i] = via;
  }
  const from = parseNameAddr(raw.get('from')![0]!);
  if (!from) return fail('malformed From header', isRequest, raw);
  fields.set('from', [from]);
  const to = parseNameAddr(raw.get('to')![0]!);
  if (!to) return fail('malformed To header', isRequest, raw);
  fields.set('to', [to]);
  const callId = raw.get('call-id')![0]!;
  const at = callId.indexOf('@');
  if (at < 0 ? !isWord(callId) : !isWord(callId.slice(0, at)) || !isWord(callId.slice(at + 1))) {
    return fail('malformed Call-ID', isRequest, raw);
  }
  const cseq = parseCSeq(raw.get('cseq')![0]!);
  if (!cseq) return fail('malformed CSeq header', isRequest, raw);
  msg.setParsedCSeq(cseq);
  if (msg instanceof SipRequest && cseq.method !== msg.method) {
    return fail('CSeq method does not match the request method', true, raw);
  }
  return undefined;
}

/** Max-Forwards, Expires, Date and Contact, checked (and Contact parsed) when present. */
function checkOptionalHeaders(
  raw: Map<string, string[]>,
  fields: Fields,
  isRequest: boolean,
): ParseResult | undefined {
  const mf = raw.get('max-forwards')?.[0];
  if (mf !== undefined && parseUInt(mf, 255) === undefined)
    return fail('invalid Max-Forwards', isRequest, raw);
  const exp = raw.get('expires')?.[0];
  if (exp !== undefined && parseUInt(exp, MAX_UINT32) === undefined)
    return fail('invalid Expires', isRequest, raw);
  const date = raw.get('date')?.[0];
  if (date !== undefined && !isSipDate(date)) return fail('invalid Date header', isRequest, raw);
  const contacts = fields.get('contact');
  // Contact: * is only meaningful in REGISTER (§10.2.2); keep it as text.
  if (!contacts || (contacts.length === 1 && contacts[0] === '*')) return undefined;
  for (let i = 0; i < contacts.length; i++) {
    const c = parseNameAddr(contacts[i] as string);
    if (!c) return fail('malformed Contact header', isRequest, raw);
    const ce = c.params.get('expires');
    if (ce !== undefined && (ce === null || parseUInt(ce, MAX_UINT32) === undefined)) {
      return fail('invalid Contact expires', isRequest, raw);
    }
    contacts[i] = c;
  }
  return undefined;
}

/** Builds the response bytes for a request that failed to parse (§8.2.6 header copying). */
export function errorResponseFor(failure: ParseFailure, toTag: string): Buffer | undefined {
  if (failure.isRequest !== true || !failure.headers) return undefined;
  const h = failure.headers;
  const vias = h.get('via');
  const cseq = h.get('cseq')?.[0];
  const callId = h.get('call-id')?.[0];
  const from = h.get('from')?.[0];
  const to = h.get('to')?.[0];
  // The client matches a response by its Via branch and CSeq method (§17.1.3): with those two a
  // 400 can still reach it when From, To or Call-ID are what is missing (RFC 4475 §3.3.1 "insuf").
  if (!vias || vias.length === 0 || cseq === undefined) return undefined;
  const reasonPhrase =
    failure.status === 505
      ? 'Version Not Supported'
      : failure.status === 513
        ? 'Message Too Large'
        : 'Bad Request';
  const safe = (s: string) => s.replace(/[\r\n]/g, ' ');
  let out = `SIP/2.0 ${failure.status} ${reasonPhrase}\r\n`;
  for (const v of vias) out += 'Via: ' + safe(v) + '\r\n';
  if (from !== undefined) out += 'From: ' + safe(from) + '\r\n';
  if (to !== undefined) out += 'To: ' + safe(to) + (/;\s*tag\s*=/i.test(to) ? '' : ';tag=' + toTag) + '\r\n';
  if (callId !== undefined) out += 'Call-ID: ' + safe(callId) + '\r\n';
  out += 'CSeq: ' + safe(cseq) + '\r\n';
  out += 'Warning: 399 - ' + JSON.stringify(failure.reason) + '\r\n';
  out += 'Content-Length: 0\r\n\r\n';
  return Buffer.from(out, 'utf8');
}
