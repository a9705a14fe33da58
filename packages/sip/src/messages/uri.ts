import {
  escapeChars as escapeChars_,
  HEADER_CHAR as HEADER_CHAR_,
  HOST as HOST_,
  PARAM as PARAM_,
  PASSWORD as PASSWORD_,
  type Params,
  SCHEME as SCHEME_,
  URIC as URIC_,
  USER as USER_,
  unescapeChecked as unescapeChecked_,
} from './grammar';

// Module-local aliases: tsx/esbuild turn imported bindings into getters, too slow per character.
const escapeChars = escapeChars_;
const HEADER_CHAR = HEADER_CHAR_;
const HOST = HOST_;
const PARAM = PARAM_;
const PASSWORD = PASSWORD_;
const SCHEME = SCHEME_;
const URIC = URIC_;
const USER = USER_;
const unescapeChecked = unescapeChecked_;

/** SIP or SIPS URI (RFC 3261 §19.1). User, password, params and headers are stored unescaped. */
export class SipUri {
  readonly type = 'sip' as const;
  constructor(
    public scheme: 'sip' | 'sips',
    public host: string,
    public port?: number,
    public user?: string,
    public password?: string,
    params?: Params,
    headers?: Map<string, string>,
  ) {
    if (params) this._params = params;
    if (headers) this._headers = headers;
  }

  // Most URIs in From/To/Contact carry no parameters; the Map is made on first use.
  private _params: Params | undefined;
  get params(): Params {
    if (!this._params) this._params = new Map();
    return this._params;
  }
  set params(p: Params) {
    this._params = p;
  }

  // URI headers are rare (Refer-To, redirects); the Map is only made when something uses it.
  private _headers: Map<string, string> | undefined;
  get headers(): Map<string, string> {
    if (!this._headers) this._headers = new Map();
    return this._headers;
  }
  set headers(h: Map<string, string>) {
    this._headers = h;
  }
  get hasParams(): boolean {
    return this._params !== undefined && this._params.size > 0;
  }
  get hasHeaders(): boolean {
    return this._headers !== undefined && this._headers.size > 0;
  }

  param(name: string): string | null | undefined {
    return this._params?.get(name);
  }

  get transport(): string | undefined {
    return this._params?.get('transport')?.toLowerCase();
  }

  clone(): SipUri {
    return new SipUri(
      this.scheme,
      this.host,
      this.port,
      this.user,
      this.password,
      this._params ? new Map(this._params) : undefined,
      this._headers ? new Map(this._headers) : undefined,
    );
  }

  toString(): string {
    let s = this.scheme + ':';
    if (this.user !== undefined) {
      s += escapeChars(this.user, USER);
      if (this.password !== undefined) s += ':' + escapeChars(this.password, PASSWORD);
      s += '@';
    }
    s += this.host;
    if (this.port !== undefined) s += ':' + this.port;
    for (const [k, v] of this.params)
      s += ';' + escapeChars(k, PARAM) + (v === null ? '' : '=' + escapeChars(v, PARAM));
    let first = true;
    if (this._headers === undefined) return s;
    for (const [k, v] of this._headers) {
      s += (first ? '?' : '&') + escapeChars(k, HEADER_CHAR) + '=' + escapeChars(v, HEADER_CHAR);
      first = false;
    }
    return s;
  }
}

/** tel URI (RFC 3966), kept simple: the number and its parameters. */
export class TelUri {
  readonly type = 'tel' as const;
  readonly scheme = 'tel';
  constructor(
    public number: string,
    public params: Params = new Map(),
  ) {}
  toString(): string {
    let s = 'tel:' + escapeChars(this.number, PARAM);
    for (const [k, v] of this.params) s += ';' + k + (v === null ? '' : '=' + escapeChars(v, PARAM));
    return s;
  }
}

/** Any other absoluteURI (RFC 3261 allows them in To, From, Contact; RFC 4475 §3.3.4). */
export class AbsoluteUri {
  readonly type = 'absolute' as const;
  constructor(
    public scheme: string,
    public opaque: string,
  ) {}
  toString(): string {
    return this.scheme + ':' + this.opaque;
  }
}

export type Uri = SipUri | TelUri | AbsoluteUri;

function parsePort(s: string): number | undefined {
  if (s.length === 0 || s.length > 5) return undefined;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    n = n * 10 + (c - 48);
  }
  return n > 0 && n <= 65535 ? n : undefined;
}

/** Validates a hostname / IPv4 address / IPv6 reference. */
export function isHost(h: string): boolean {
  if (h.length === 0) return false;
  if (h.charCodeAt(0) === 91) {
    if (h.charCodeAt(h.length - 1) !== 93 || h.length < 4) return false;
    for (let i = 1; i < h.length - 1; i++) {
      const c = h.charCodeAt(i);
      const hex = (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46;
      if (!hex) return false;
    }
    return true;
  }
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    if (c > 127 || HOST[c] !== 1) return false;
  }
  return true;
}

/** Splits "host[:port]" honouring IPv6 brackets. */
export function parseHostPort(s: string): { host: string; port?: number } | undefined {
  let host: string;
  let portStr: string | undefined;
  if (s.charCodeAt(0) === 91) {
    const close = s.indexOf(']');
    if (close < 0) return undefined;
    host = s.slice(0, close + 1);
    const rest = s.slice(close + 1);
    if (rest.length > 0) {
      if (rest.charCodeAt(0) !== 58) return undefined;
      portStr = rest.slice(1);
    }
  } else {
    const colon = s.indexOf(':');
    host = colon < 0 ? s : s.slice(0, colon);
    if (colon >= 0) portStr = s.slice(colon + 1);
  }
  if (!isHost(host)) return undefined;
  if (portStr === undefined) return { host };
  const port = parsePort(portStr);
  return port === undefined ? undefined : { host, port };
}

function parseSipUri(scheme: 'sip' | 'sips', s: string): SipUri | undefined {
  let rest = s;
  let user: string | undefined;
  let password: string | undefined;
  // userinfo ends at the first '@': '@' cannot appear unescaped in host, params or headers.
  const at = rest.indexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    const u = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (u.length === 0) return undefined;
    user = unescapeChecked(u, USER);
    if (user === undefined) return undefined;
    if (colon >= 0) {
      password = unescapeChecked(userinfo.slice(colon + 1), PASSWORD);
      if (password === undefined) return undefined;
    }
  }
  let headersPart: string | undefined;
  const q = rest.indexOf('?');
  if (q >= 0) {
    headersPart = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const semi = rest.indexOf(';');
  const hostport = semi < 0 ? rest : rest.slice(0, semi);
  const hp = parseHostPort(hostport);
  if (!hp) return undefined;
  const uri = new SipUri(scheme, hp.host, hp.port, user, password);
  if (semi >= 0) {
    for (const p of rest.slice(semi + 1).split(';')) {
      const eq = p.indexOf('=');
      const name = unescapeChecked(eq < 0 ? p : p.slice(0, eq), PARAM);
      if (name === undefined || name.length === 0) return undefined;
      let value: string | null = null;
      if (eq >= 0) {
        const v = unescapeChecked(p.slice(eq + 1), PARAM);
        if (v === undefined || v.length === 0) return undefined;
        value = v;
      }
      uri.params.set(name.toLowerCase(), value);
    }
  }
  if (headersPart !== undefined) {
    for (const h of headersPart.split('&')) {
      const eq = h.indexOf('=');
      if (eq <= 0) return undefined;
      const name = unescapeChecked(h.slice(0, eq), HEADER_CHAR);
      const value = unescapeChecked(h.slice(eq + 1), HEADER_CHAR);
      if (name === undefined || value === undefined) return undefined;
      uri.headers.set(name, value);
    }
  }
  return uri;
}

/** Parses any URI the SIP grammar allows. Returns undefined when the text is not a valid URI. */
export function parseUri(s: string): Uri | undefined {
  const colon = s.indexOf(':');
  if (colon <= 0) return undefined;
  const c0 = s.charCodeAt(0);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) return undefined;
  for (let i = 1; i < colon; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || SCHEME[c] !== 1) return undefined;
  }
  const scheme = s.slice(0, colon).toLowerCase();
  const rest = s.slice(colon + 1);
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(scheme, rest);
  if (rest.length === 0) return undefined;
  if (scheme === 'tel') {
    const parts = rest.split(';');
    const num = unescapeChecked(parts[0] ?? '', PARAM);
    if (!num) return undefined;
    const params: Params = new Map();
    for (let i = 1; i < parts.length; i++) {
      const p = parts[i] ?? '';
      const eq = p.indexOf('=');
      const name = eq < 0 ? p : p.slice(0, eq);
      if (name.length === 0) return undefined;
      const value = eq < 0 ? null : unescapeChecked(p.slice(eq + 1), PARAM);
      if (value === undefined) return undefined;
      params.set(name.toLowerCase(), value);
    }
    return new TelUri(num, params);
  }
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c > 127 || URIC[c] !== 1) return undefined;
  }
  return new AbsoluteUri(scheme, rest);
}

function eqParam(a: Params, b: Params, name: string): boolean {
  const x = a.get(name);
  const y = b.get(name);
  return (
    (x === undefined || x === null ? x : x.toLowerCase()) ===
    (y === undefined || y === null ? y : y.toLowerCase())
  );
}

/** URI comparison per RFC 3261 §19.1.4 (the rules that matter for dialogs and registrations). */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.type === 'sip' && b.type === 'sip') {
    if (a.scheme !== b.scheme || a.user !== b.user || a.password !== b.password) return false;
    if (a.host.toLowerCase() !== b.host.toLowerCase() || a.port !== b.port) return false;
    for (const name of ['user', 'ttl', 'method', 'maddr', 'transport']) {
      if (!eqParam(a.params, b.params, name)) return false;
    }
    for (const [k, v] of a.params) {
      if (b.params.has(k) && (b.params.get(k) ?? '').toLowerCase() !== (v ?? '').toLowerCase()) return false;
    }
    return true;
  }
  return a.toString().toLowerCase() === b.toString().toLowerCase();
}
