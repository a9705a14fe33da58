import { splitList as splitList_ } from './grammar';
import {
  type CSeq,
  headerDisplayName as headerDisplayName_,
  headerKey as headerKey_,
  isKnownHeader,
  LIST_HEADERS,
  type NameAddr,
  parseCSeq as parseCSeq_,
  parseNameAddr as parseNameAddr_,
  parseVia as parseVia_,
  type Via,
} from './headers';
import type { Uri } from './uri';

// Module-local aliases: tsx/esbuild turn imported bindings into getters, too slow per character.
const headerDisplayName = headerDisplayName_;
const headerKey = headerKey_;
const parseCSeq = parseCSeq_;
const parseNameAddr = parseNameAddr_;
const parseVia = parseVia_;
const splitList = splitList_;

const EMPTY = Buffer.alloc(0);

type HeaderValue = string | Via | NameAddr;

/**
 * A SIP message. Header values are kept as strings (exactly as received, unfolded) and parsed into
 * Via / NameAddr / CSeq objects only when something asks for them; the parsed objects are cached.
 * Keys are lowercase long names, so compact forms and case never matter to callers.
 */
export abstract class SipMessage {
  /** key → values in order. A value is a string, or a parsed object once a typed getter produced it. */
  protected readonly fields = new Map<string, HeaderValue[]>();
  body: Buffer = EMPTY;
  /** performance.now() when the transport received it (unset for messages we build). */
  receivedAt: number | undefined;
  private cseqCache: CSeq | undefined;
  /** Original spelling of extension header names (known ones are printed in canonical case). */
  private extNames: Map<string, string> | undefined;

  /** Remembers how an extension header's name was written, so it is printed the same way. */
  nameHeader(key: string, name: string): void {
    if (isKnownHeader(key) || name.length === 1) return;
    if (!this.extNames) this.extNames = new Map();
    if (!this.extNames.has(key)) this.extNames.set(key, name);
  }

  abstract readonly isRequest: boolean;

  /** First value of a header, as text. */
  get(name: string): string | undefined {
    const v = this.fields.get(headerKey(name))?.[0];
    return v === undefined ? undefined : typeof v === 'string' ? v : v.toString();
  }

  getAll(name: string): string[] {
    const vs = this.fields.get(headerKey(name));
    if (!vs) return [];
    return vs.map((v) => (typeof v === 'string' ? v : v.toString()));
  }

  has(name: string): boolean {
    return this.fields.has(headerKey(name));
  }

  /** Number of field lines/values for a header. */
  count(name: string): number {
    return this.fields.get(headerKey(name))?.length ?? 0;
  }

  set(name: string, value: HeaderValue | HeaderValue[]): this {
    const key = headerKey(name);
    this.nameHeader(key, name);
    this.fields.set(key, Array.isArray(value) ? [...value] : [value]);
    if (key === 'cseq') this.cseqCache = undefined;
    return this;
  }

  /** Appends values; for list headers a comma-joined string is split into separate values. */
  append(name: string, value: HeaderValue): this {
    const key = headerKey(name);
    this.nameHeader(key, name);
    let list = this.fields.get(key);
    if (!list) {
      list = [];
      this.fields.set(key, list);
    }
    if (typeof value === 'string' && LIST_HEADERS.has(key) && value.indexOf(',') >= 0) {
      list.push(...(splitList(value) ?? [value]));
    } else list.push(value);
    if (key === 'cseq') this.cseqCache = undefined;
    return this;
  }

  prepend(name: string, value: HeaderValue): this {
    const key = headerKey(name);
    const list = this.fields.get(key);
    if (list) list.unshift(value);
    else this.fields.set(key, [value]);
    return this;
  }

  delete(name: string): this {
    const key = headerKey(name);
    this.fields.delete(key);
    if (key === 'cseq') this.cseqCache = undefined;
    return this;
  }

  /** Header keys present, in first-seen order. */
  headerNames(): string[] {
    return [...this.fields.keys()];
  }

  /** Internal: raw access used by the parser (no splitting, no cache handling). */
  rawFields(): Map<string, HeaderValue[]> {
    return this.fields;
  }

  private typed<T extends Via | NameAddr>(
    key: string,
    index: number,
    parse: (s: string) => T | undefined,
  ): T | undefined {
    const list = this.fields.get(key);
    const v = list?.[index];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') return v as T;
    const parsed = parse(v);
    if (parsed && list) list[index] = parsed;
    return parsed;
  }

  /** The topmost Via, parsed. */
  get via(): Via | undefined {
    return this.typed('via', 0, parseVia);
  }

  vias(): Via[] {
    const n = this.count('via');
    const out: Via[] = [];
    for (let i = 0; i < n; i++) {
      const v = this.typed('via', i, parseVia);
      if (v) out.push(v);
    }
    return out;
  }

  get from(): NameAddr | undefined {
    return this.typed('from', 0, parseNameAddr);
  }
  get to(): NameAddr | undefined {
    return this.typed('to', 0, parseNameAddr);
  }
  get callId(): string {
    return this.get('call-id') ?? '';
  }
  get cseq(): CSeq {
    if (!this.cseqCache) this.cseqCache = parseCSeq(this.get('cseq') ?? '') ?? { seq: 0, method: '' };
    return this.cseqCache;
  }

  /** Internal: the parser hands over the CSeq it already validated. */
  setParsedCSeq(cseq: CSeq): void {
    this.cseqCache = cseq;
  }

  /** Parsed values of a name-addr list header (Contact, Route, Record-Route, ...). */
  nameAddrs(name: string): NameAddr[] {
    const key = headerKey(name);
    const n = this.fields.get(key)?.length ?? 0;
    const out: NameAddr[] = [];
    for (let i = 0; i < n; i++) {
      const v = this.typed(key, i, parseNameAddr);
      if (v) out.push(v);
    }
    return out;
  }

  contacts(): NameAddr[] {
    return this.isContactStar ? [] : this.nameAddrs('contact');
  }

  get contact(): NameAddr | undefined {
    return this.contacts()[0];
  }

  get isContactStar(): boolean {
    const v = this.fields.get('contact')?.[0];
    return typeof v === 'string' && v.trim() === '*';
  }

  get contentType(): string | undefined {
    const ct = this.get('content-type');
    if (ct === undefined) return undefined;
    const semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.slice(0, semi)).trim().toLowerCase();
  }

  get bodyText(): string {
    return this.body.toString('utf8');
  }

  /** Sets the body and its Content-Type (Content-Length is computed when serializing). */
  setBody(body: string | Buffer, contentType?: string): this {
    this.body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (contentType) this.set('content-type', contentType);
    else if (this.body.length === 0) this.delete('content-type');
    return this;
  }

  protected abstract startLine(): string;

  /**
   * Canonical serialization: the start line, each header as `Name: value` in its canonical case
   * (one line per Via/Route/Contact value), then a Content-Length that always matches the body.
   */
  toString(): string {
    return this.head() + this.body.toString('utf8');
  }

  head(): string {
    let s = this.startLine() + '\r\n';
    for (const [key, values] of this.fields) {
      if (key === 'content-length') continue;
      const name = this.extNames?.get(key) ?? headerDisplayName(key);
      if (key === 'cseq' && this.cseqCache && values.length === 1) {
        s += 'CSeq: ' + this.cseqCache.seq + ' ' + this.cseqCache.method + '\r\n';
        continue;
      }
      for (const v of values) s += name + ': ' + (typeof v === 'string' ? v : v.toString()) + '\r\n';
    }
    return s + 'Content-Length: ' + this.body.length + '\r\n\r\n';
  }

  toBuffer(): Buffer {
    const head = this.head();
    if (this.body.length === 0) return Buffer.from(head, 'utf8');
    const hl = Buffer.byteLength(head, 'utf8');
    const out = Buffer.allocUnsafe(hl + this.body.length);
    out.write(head, 0, 'utf8');
    this.body.copy(out, hl);
    return out;
  }

  protected copyFieldsTo(other: SipMessage): void {
    if (this.extNames) other.extNames = new Map(this.extNames);
    for (const [k, vs] of this.fields) {
      other.fields.set(
        k,
        vs.map((v) => (typeof v === 'string' ? v : v.clone())),
      );
    }
    other.body = this.body;
  }
}

export class SipRequest extends SipMessage {
  readonly isRequest = true;
  constructor(
    public method: string,
    public uri: Uri,
    public version = 'SIP/2.0',
  ) {
    super();
  }
  protected startLine(): string {
    return this.method + ' ' + this.uri.toString() + ' ' + this.version;
  }
  clone(): SipRequest {
    const r = new SipRequest(
      this.method,
      this.uri.type === 'sip' ? this.uri.clone() : this.uri,
      this.version,
    );
    this.copyFieldsTo(r);
    return r;
  }
}

export class SipResponse extends SipMessage {
  readonly isRequest = false;
  constructor(
    public status: number,
    public reason: string,
    public version = 'SIP/2.0',
  ) {
    super();
  }
  protected startLine(): string {
    return this.version + ' ' + this.status + ' ' + this.reason;
  }
  clone(): SipResponse {
    const r = new SipResponse(this.status, this.reason, this.version);
    this.copyFieldsTo(r);
    return r;
  }
}

export type SipMessageAny = SipRequest | SipResponse;
