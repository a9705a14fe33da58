// Character classes of the RFC 3261 §25 ABNF as 128-entry lookup tables: the parser scans with
// charCodeAt and table lookups instead of regular expressions, which keeps it linear and fast.

function table(chars: string, alnum = true): Uint8Array {
  const t = new Uint8Array(128);
  if (alnum) {
    for (let c = 48; c <= 57; c++) t[c] = 1;
    for (let c = 65; c <= 90; c++) t[c] = 1;
    for (let c = 97; c <= 122; c++) t[c] = 1;
  }
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

const MARK = "-_.!~*'()";
export const TOKEN = table("-.!%*_+`'~");
export const WORD = table('-.!%*_+`\'~()<>:\\"/[]?{}');
export const UNRESERVED = table(MARK);
export const USER = table(MARK + '&=+$,;?/');
export const PASSWORD = table(MARK + '&=+$,');
export const PARAM = table(MARK + '[]/:&+$');
export const HEADER_CHAR = table(MARK + '[]/?:+$');
export const HOST = table('-._');
export const SCHEME = table('+-.');
/** Characters allowed in an absolute URI's opaque part (RFC 3986 reserved + unreserved + %). */
export const URIC = table(MARK + ';/?:@&=+$,%[]#');

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || TOKEN[c] !== 1) return false;
  }
  return true;
}

export function isWord(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || WORD[c] !== 1) return false;
  }
  return true;
}

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

export function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

export function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(s.charCodeAt(a))) a++;
  while (b > a && isWs(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Validates `s` against an allowed-character table (plus %HH escapes) and returns it unescaped, or
 * undefined when a character is not allowed or an escape is malformed.
 */
export function unescapeChecked(s: string, allowed: Uint8Array): string | undefined {
  let hasEscape = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      if (i + 2 >= s.length) return undefined;
      if (hexVal(s.charCodeAt(i + 1)) < 0 || hexVal(s.charCodeAt(i + 2)) < 0) return undefined;
      hasEscape = true;
      i += 2;
    } else if (c > 127 || allowed[c] !== 1) {
      return undefined;
    }
  }
  if (!hasEscape) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      bytes.push(hexVal(s.charCodeAt(i + 1)) * 16 + hexVal(s.charCodeAt(i + 2)));
      i += 2;
    } else bytes.push(c);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Escapes every character of `s` that `allowed` does not list, as UTF-8 %HH. */
export function escapeChars(s: string, allowed: Uint8Array): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || allowed[c] !== 1) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b < 128 && allowed[b] === 1) out += String.fromCharCode(b);
    else out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}

/** Reads a quoted-string starting at s[i] === '"'. Returns the unescaped content and the index after the closing quote. */
export function readQuoted(s: string, i: number): { value: string; end: number } | undefined {
  let out = '';
  let j = i + 1;
  let start = j;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 34) {
      out += s.slice(start, j);
      return { value: out, end: j + 1 };
    }
    if (c === 92) {
      // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
      if (j + 1 >= s.length) return undefined;
      const n = s.charCodeAt(j + 1);
      if (n === 10 || n === 13 || n > 127) return undefined;
      out += s.slice(start, j) + s[j + 1];
      j += 2;
      start = j;
      continue;
    }
    if (c === 13 || c === 10) return undefined;
    j++;
  }
  return undefined;
}

export function quote(s: string): string {
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32 || c === 127) {
      needs = true;
      break;
    }
  }
  if (!needs) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c === 34 || c === 92 || c < 32 || c === 127 ? '\\' + s[i] : s[i];
  }
  return out + '"';
}

/**
 * Splits a header value on commas that are outside quoted strings and angle brackets
 * (RFC 3261 §7.3.1: several values of one header may be joined with commas).
 * Returns undefined for an empty element, which the list grammar does not allow.
 */
export function splitList(s: string): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inQuote) {
      if (c === 92) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 60) inAngle = true;
    else if (c === 62) inAngle = false;
    else if (c === 44 && !inAngle) {
      const part = trimWs(s.slice(start, i));
      if (part.length === 0) return undefined;
      out.push(part);
      start = i + 1;
    }
  }
  const last = trimWs(s.slice(start));
  if (last.length === 0) return undefined;
  out.push(last);
  return out;
}

export type Params = Map<string, string | null>;

/**
 * Parses `*( SEMI generic-param )` starting at s[i] (which must be ';' or the end).
 * Names are lowercased; values are kept as written (quoted strings keep their quotes).
 * Returns undefined on a syntax error (empty param, bad token, unterminated quote).
 */
export function parseParams(s: string, i: number, params: Params): boolean {
  const n = s.length;
  while (true) {
    i = skipWs(s, i);
    if (i >= n) return true;
    if (s.charCodeAt(i) !== 59) return false;
    i = skipWs(s, i + 1);
    let j = i;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c > 127 || TOKEN[c] !== 1) break;
      j++;
    }
    if (j === i) return false;
    const name = s.slice(i, j).toLowerCase();
    i = skipWs(s, j);
    if (i < n && s.charCodeAt(i) === 61) {
      i = skipWs(s, i + 1);
      if (i >= n) return false;
      if (s.charCodeAt(i) === 34) {
        const q = readQuoted(s, i);
        if (!q) return false;
        params.set(name, s.slice(i, q.end));
        i = q.end;
      } else {
        j = i;
        // gen-value = token / host / quoted-string; host adds '[' ':' ']' for IPv6 references.
        while (j < n) {
          const c = s.charCodeAt(j);
          if (c > 127 || (TOKEN[c] !== 1 && c !== 91 && c !== 93 && c !== 58)) break;
          j++;
        }
        if (j === i) return false;
        params.set(name, s.slice(i, j));
        i = j;
      }
    } else {
      params.set(name, null);
    }
  }
}

export function serializeParams(params: Params): string {
  let out = '';
  for (const [k, v] of params) out += v === null ? ';' + k : ';' + k + '=' + v;
  return out;
}

export function unquoteParam(v: string | null | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v.charCodeAt(0) === 34) return readQuoted(v, 0)?.value;
  return v;
}
