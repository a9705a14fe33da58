import {
  isDigits as isDigits_,
  isToken as isToken_,
  isWs as isWs_,
  type Params,
  parseParams as parseParams_,
  quote as quote_,
  readQuoted as readQuoted_,
  serializeParams as serializeParams_,
  skipWs as skipWs_,
  TOKEN as TOKEN_,
  trimWs as trimWs_,
} from './grammar';
import { isHost as isHost_, parseUri as parseUri_, SipUri, type Uri } from './uri';

// Module-local aliases: tsx/esbuild turn imported bindings into getters, too slow per character.
const isHost = isHost_;
const parseUri = parseUri_;
const isDigits = isDigits_;
const isToken = isToken_;
const isWs = isWs_;
const parseParams = parseParams_;
const quote = quote_;
const readQuoted = readQuoted_;
const serializeParams = serializeParams_;
const skipWs = skipWs_;
const TOKEN = TOKEN_;
const trimWs = trimWs_;

// Canonical names, keyed by lowercase long or compact name (RFC 3261 §7.3.3 compact forms).
const CANONICAL: Record<string, string> = {};
const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  f: 'from',
  t: 'to',
  v: 'via',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
  o: 'event',
  r: 'refer-to',
  u: 'allow-events',
  x: 'session-expires',
  b: 'referred-by',
  y: 'identity',
};
for (const name of [
  'Accept',
  'Accept-Encoding',
  'Accept-Language',
  'Alert-Info',
  'Allow',
  'Allow-Events',
  'Authentication-Info',
  'Authorization',
  'Call-ID',
  'Call-Info',
  'Contact',
  'Content-Disposition',
  'Content-Encoding',
  'Content-Language',
  'Content-Length',
  'Content-Type',
  'CSeq',
  'Date',
  'Error-Info',
  'Event',
  'Expires',
  'From',
  'Identity',
  'In-Reply-To',
  'Max-Forwards',
  'Min-Expires',
  'MIME-Version',
  'Organization',
  'P-Asserted-Identity',
  'Path',
  'Priority',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Require',
  'RAck',
  'Reason',
  'Record-Route',
  'Refer-To',
  'Referred-By',
  'Replaces',
  'Reply-To',
  'Require',
  'Retry-After',
  'Route',
  'RSeq',
  'Server',
  'Service-Route',
  'Session-Expires',
  'Subject',
  'Subscription-State',
  'Supported',
  'Timestamp',
  'To',
  'Unsupported',
  'User-Agent',
  'Via',
  'Warning',
  'WWW-Authenticate',
]) {
  CANONICAL[name.toLowerCase()] = name;
}

/** Lowercase long name of a header, expanding compact forms. */
const KEY_CACHE = new Map<string, string>();

export function headerKey(name: string): string {
  const cached = KEY_CACHE.get(name);
  if (cached !== undefined) return cached;
  const lower = name.toLowerCase();
  const key = lower.length === 1 ? (COMPACT[lower] ?? lower) : lower;
  // Bounded, so a peer inventing header names cannot grow it without limit.
  if (KEY_CACHE.size < 2000) KEY_CACHE.set(name, key);
  return key;
}

export function isKnownHeader(key: string): boolean {
  return CANONICAL[key] !== undefined;
}

/** The display form of a header key: canonical case for known headers, Title-Case otherwise. */
export function headerDisplayName(key: string): string {
  const known = CANONICAL[key];
  if (known) return known;
  return key.replace(/(^|-)([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** Headers whose comma-joined values are split into one entry per value when a message is parsed. */
export const LIST_HEADERS = new Set(['via', 'contact', 'route', 'record-route', 'path', 'service-route']);

/** name-addr / addr-spec with header parameters (From, To, Contact, Route, Refer-To, ...). */
export class NameAddr {
  /**
   * The header text as received, kept only while it is already in canonical form and nothing has
   * touched the object: serializing an unmodified header is then a string copy. Reading `uri` or
   * `params` (which hand out mutable objects) or setting any field drops it.
   */
  text: string | undefined;
  private _uri: Uri;
  private _displayName: string | undefined;
  private _params: Params;

  constructor(uri: Uri, displayName?: string, params: Params = new Map()) {
    this._uri = uri;
    this._displayName = displayName;
    this._params = params;
  }

  get uri(): Uri {
    this.text = undefined;
    return this._uri;
  }
  set uri(u: Uri) {
    this.text = undefined;
    this._uri = u;
  }
  get displayName(): string | undefined {
    return this._displayName;
  }
  set displayName(d: string | undefined) {
    this.text = undefined;
    this._displayName = d;
  }
  get params(): Params {
    this.text = undefined;
    return this._params;
  }
  set params(p: Params) {
    this.text = undefined;
    this._params = p;
  }

  /** Read-only look at the URI that keeps the cached text. */
  peekUri(): Uri {
    return this._uri;
  }

  get tag(): string | undefined {
    return this._params.get('tag') ?? undefined;
  }
  set tag(v: string | undefined) {
    this.text = undefined;
    if (v === undefined) this._params.delete('tag');
    else this._params.set('tag', v);
  }

  clone(): NameAddr {
    const u = this._uri;
    return new NameAddr(u.type === 'sip' ? u.clone() : u, this._displayName, new Map(this._params));
  }

  toString(): string {
    if (this.text !== undefined) return this.text;
    const dn = this._displayName ? quote(this._displayName) + ' ' : '';
    return dn + '<' + this._uri.toString() + '>' + serializeParams(this._params);
  }
}

function paramsAppearVerbatim(raw: string, params: Params): boolean {
  for (const k of params.keys()) if (raw.indexOf(';' + k) < 0) return false;
  return true;
}

/**
 * Parses name-addr or addr-spec followed by header params. `allowStar` admits Contact's "*".
 * Strict where RFC 4475 §3.1.2.13–15 says so: no LWS inside <>, unquoted display names are tokens,
 * and an addr-spec containing ',', ';' or '?' must be in angle brackets (§20).
 */
export function parseNameAddr(s: string): NameAddr | undefined {
  const n = s.length;
  let i = skipWs(s, 0);
  let displayName: string | undefined;
  let uriText: string;
  let quoted = false;
  // Whether the text is already what toString() would print, decided while scanning (see NameAddr.text).
  let canonical = i === 0;
  if (i < n && s.charCodeAt(i) === 34) {
    const q = readQuoted(s, i);
    if (!q) return undefined;
    displayName = q.value;
    quoted = true;
    // No escapes inside the quotes, and exactly one space before '<'.
    if (q.end - i - 2 !== q.value.length || q.value.length === 0 || s.charCodeAt(q.end) !== 32)
      canonical = false;
    i = skipWs(s, q.end);
    if (i >= n || s.charCodeAt(i) !== 60) return undefined;
    if (i !== q.end + 1) canonical = false;
  }
  const lt = quoted ? i : s.indexOf('<', i);
  let gt = -1;
  if (lt >= 0) {
    if (!quoted) {
      const dn = trimWs(s.slice(i, lt));
      if (dn.length > 0) {
        // display-name = *(token LWS): every word must be a token.
        for (const w of dn.split(/[ \t]+/)) if (!isToken(w)) return undefined;
        displayName = dn;
        canonical = false;
      }
    }
    gt = s.indexOf('>', lt + 1);
    if (gt < 0) return undefined;
    uriText = s.slice(lt + 1, gt);
    i = gt + 1;
  } else {
    // addr-spec: ends at the first ';' (the rest are header parameters), no spaces.
    let j = i;
    while (j < n && s.charCodeAt(j) !== 59 && !isWs(s.charCodeAt(j))) j++;
    uriText = s.slice(i, j);
    if (uriText.indexOf('?') >= 0 || uriText.indexOf(',') >= 0) return undefined;
    i = j;
    canonical = false;
  }
  const uri = parseUri(uriText);
  if (!uri) return undefined;
  const params: Params = new Map();
  if (!parseParams(s, i, params)) return undefined;
  const na = new NameAddr(uri, displayName, params);
  if (
    canonical &&
    uriText.indexOf('%') < 0 &&
    s.indexOf(' ', gt) < 0 &&
    s.indexOf('\t') < 0 &&
    uriIsCanonical(uriText, uri) &&
    (params.size === 0 || paramsAppearVerbatim(s, params))
  ) {
    na.text = s;
  }
  return na;
}

/** The URI text needs no rewriting: lower-case scheme, no leading-zero port, lower-case param names. */
function uriIsCanonical(text: string, uri: Uri): boolean {
  if (text.charCodeAt(0) < 97) return false; // upper-case scheme letter
  if (uri.type === 'sip') {
    if (uri.port !== undefined && text.indexOf(':' + uri.port) < 0) return false;
    return !uri.hasParams || paramsAppearVerbatim(text, uri.params);
  }
  if (uri.type === 'tel') return paramsAppearVerbatim(text, uri.params);
  return text.slice(0, uri.scheme.length) === uri.scheme;
}

/** One Via header value (RFC 3261 §20.42, RFC 3581 rport). */
export class Via {
  /** The received text while canonical and untouched (see NameAddr.text). */
  text: string | undefined;
  private _transport: string;
  private _host: string;
  private _port: number | undefined;
  private _params: Params;
  readonly protocol: string;

  constructor(
    transport: string,
    host: string,
    port?: number,
    params: Params = new Map(),
    protocol = 'SIP/2.0',
  ) {
    this._transport = transport;
    this._host = host;
    this._port = port;
    this._params = params;
    this.protocol = protocol;
  }

  get transport(): string {
    return this._transport;
  }
  set transport(t: string) {
    if (t !== this._transport) this.text = undefined;
    this._transport = t;
  }
  get host(): string {
    return this._host;
  }
  set host(h: string) {
    this.text = undefined;
    this._host = h;
  }
  get port(): number | undefined {
    return this._port;
  }
  set port(p: number | undefined) {
    this.text = undefined;
    this._port = p;
  }
  get params(): Params {
    this.text = undefined;
    return this._params;
  }

  get branch(): string | undefined {
    return this._params.get('branch') ?? undefined;
  }
  get received(): string | undefined {
    return this._params.get('received') ?? undefined;
  }
  /** undefined: no rport; null: rport requested without a value; number: filled in. */
  get rport(): number | null | undefined {
    if (!this._params.has('rport')) return undefined;
    const v = this._params.get('rport');
    return v === null || v === undefined ? null : Number(v);
  }
  hasParam(name: string): boolean {
    return this._params.has(name);
  }
  setParam(name: string, value: string | null): void {
    this.text = undefined;
    this._params.set(name, value);
  }

  clone(): Via {
    const v = new Via(this._transport, this._host, this._port, new Map(this._params), this.protocol);
    v.text = this.text;
    return v;
  }

  toString(): string {
    if (this.text !== undefined) return this.text;
    return (
      this.protocol +
      '/' +
      this._transport +
      ' ' +
      this._host +
      (this._port !== undefined ? ':' + this._port : '') +
      serializeParams(this._params)
    );
  }
}

function readToken(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c > 127 || TOKEN[c] !== 1) break;
    i++;
  }
  return i;
}

export function parseVia(s: string): Via | undefined {
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport, with LWS around the slashes.
  const n = s.length;
  let i: number;
  let j: number;
  let protocol: string;
  let transport: string;
  let clean: boolean;
  if (s.startsWith('SIP/2.0/')) {
    // The form every RFC 3261 element writes; no need to take the general path.
    j = readToken(s, 8);
    transport = s.slice(8, j);
    const upper = transport.toUpperCase();
    clean = upper === transport;
    transport = upper;
    protocol = 'SIP/2.0';
    if (transport.length === 0) return undefined;
  } else {
    i = skipWs(s, 0);
    j = readToken(s, i);
    const name = s.slice(i, j);
    i = skipWs(s, j);
    if (name.length === 0 || s.charCodeAt(i) !== 47) return undefined;
    i = skipWs(s, i + 1);
    j = readToken(s, i);
    const version = s.slice(i, j);
    i = skipWs(s, j);
    if (version.length === 0 || s.charCodeAt(i) !== 47) return undefined;
    i = skipWs(s, i + 1);
    j = readToken(s, i);
    transport = s.slice(i, j).toUpperCase();
    if (transport.length === 0) return undefined;
    protocol = name.toUpperCase() + '/' + version;
    clean = false;
  }
  i = skipWs(s, j);
  if (i === j && i < n) return undefined;
  if (i !== j + 1) clean = false;
  j = i;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c === 59 || c === 32 || c === 9) break;
    j++;
  }
  let host: string;
  let port: number | undefined;
  const close = s.lastIndexOf(']', j - 1);
  const colon = s.lastIndexOf(':', j - 1);
  if (colon >= i && colon > close) {
    host = s.slice(i, colon);
    const p = s.slice(colon + 1, j);
    if (!isDigits(p) || p.length > 5) return undefined;
    port = Number(p);
    if (port < 1 || port > 65535) return undefined;
    if (p.charCodeAt(0) === 48) clean = false;
  } else host = s.slice(i, j);
  if (!isHost(host)) return undefined;
  const params: Params = new Map();
  if (!parseParams(s, j, params)) return undefined;
  const rport = params.get('rport');
  if (rport !== undefined && rport !== null && (!isDigits(rport) || Number(rport) > 65535)) return undefined;
  const received = params.get('received');
  if (received !== undefined && (received === null || !isHost(received))) return undefined;
  const via = new Via(transport, host, port, params, protocol);
  // Keep the text when it is already canonical: one space, upper-case protocol, lower-case names.
  if (clean && s.indexOf(' ', j) < 0 && s.indexOf('\t', j) < 0 && paramsAppearVerbatim(s, params))
    via.text = s;
  return via;
}

export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(s: string): CSeq | undefined {
  const t = trimWs(s);
  let i = 0;
  while (i < t.length && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
  if (i === 0 || i > 10 || i >= t.length || !isWs(t.charCodeAt(i))) return undefined;
  const seq = Number(t.slice(0, i));
  // §8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer.
  if (seq > 0xffffffff) return undefined;
  const method = t.slice(skipWs(t, i));
  if (!isToken(method)) return undefined;
  return { seq, method };
}

/** Parses a delta-seconds / 1*DIGIT field, bounded by `max`. */
export function parseUInt(s: string, max: number): number | undefined {
  const t = trimWs(s);
  if (!isDigits(t) || t.length > 12) return undefined;
  const n = Number(t);
  return n <= max ? n : undefined;
}

export interface Challenge {
  scheme: string;
  params: Map<string, string>;
}

/** Parses WWW-Authenticate / Authorization style values: `scheme name=value, name="value"`. */
export function parseAuth(s: string): Challenge | undefined {
  const n = s.length;
  let i = skipWs(s, 0);
  const j = readToken(s, i);
  if (j === i) return undefined;
  const scheme = s.slice(i, j);
  const params = new Map<string, string>();
  i = skipWs(s, j);
  while (i < n) {
    const k = readToken(s, i);
    if (k === i) return undefined;
    const name = s.slice(i, k).toLowerCase();
    i = skipWs(s, k);
    if (s.charCodeAt(i) !== 61) return undefined;
    i = skipWs(s, i + 1);
    if (s.charCodeAt(i) === 34) {
      const q = readQuoted(s, i);
      if (!q) return undefined;
      params.set(name, q.value);
      i = q.end;
    } else {
      let e = i;
      while (e < n && s.charCodeAt(e) !== 44 && !isWs(s.charCodeAt(e))) e++;
      if (e === i) return undefined;
      params.set(name, s.slice(i, e));
      i = e;
    }
    i = skipWs(s, i);
    if (i < n) {
      if (s.charCodeAt(i) !== 44) return undefined;
      i = skipWs(s, i + 1);
    }
  }
  return { scheme, params };
}

const UNQUOTED_AUTH = new Set(['algorithm', 'qop', 'nc', 'stale']);

export function serializeAuth(c: Challenge): string {
  const parts: string[] = [];
  for (const [k, v] of c.params) parts.push(UNQUOTED_AUTH.has(k) ? `${k}=${v}` : `${k}=${quote(v)}`);
  return c.scheme + ' ' + parts.join(', ');
}

const WKDAY = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
const MONTH = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);

/** SIP-date = rfc1123-date, which must be in GMT (RFC 3261 §20.17, RFC 4475 §3.1.2.12). */
export function isSipDate(s: string): boolean {
  const m = /^([A-Za-z]{3}), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(trimWs(s));
  return m !== null && WKDAY.has(m[1] ?? '') && MONTH.has(m[3] ?? '');
}

/** The host written into a new request's Via until the transport layer fills in its own address. */
export const UNSENT_HOST = 'placeholder.invalid';

/**
 * A top Via for a request we originate: a fresh branch and `rport` (RFC 3581). Transport, host and
 * port are set by the transport layer when it picks the transport (§18.1.1).
 */
export function newVia(branch: string, transport = 'UDP'): Via {
  return new Via(
    transport,
    UNSENT_HOST,
    undefined,
    new Map<string, string | null>([
      ['branch', branch],
      ['rport', null],
    ]),
  );
}

export function newSipUri(host: string, port?: number, user?: string): SipUri {
  return new SipUri('sip', host, port, user);
}
