import { DEFAULT_LIMITS } from '../messages/parser';

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*(?:\r\n|$)/i;

export type FrameEvent =
  | { type: 'message'; data: Buffer }
  | { type: 'ping' }
  | { type: 'error'; reason: string };

/**
 * Cuts a byte stream into SIP messages using Content-Length (RFC 3261 §18.3), and recognises the
 * RFC 5626 §3.5.1 keep-alives: a double CRLF "ping" (to be answered with a single CRLF "pong"),
 * and single CRLFs between messages, which are skipped.
 */
export class StreamFramer {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageSize = DEFAULT_LIMITS.maxMessageSize) {}

  push(chunk: Buffer): FrameEvent[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: FrameEvent[] = [];
    while (this.buf.length > 0) {
      let i = 0;
      while (i + 1 < this.buf.length && this.buf[i] === 13 && this.buf[i + 1] === 10) {
        if (i + 3 < this.buf.length && this.buf[i + 2] === 13 && this.buf[i + 3] === 10) {
          out.push({ type: 'ping' });
          i += 4;
        } else i += 2;
      }
      if (i > 0) this.buf = this.buf.subarray(i);
      if (this.buf.length === 0 || (this.buf.length === 1 && this.buf[0] === 13)) break;
      const headEnd = this.buf.indexOf(CRLFCRLF);
      if (headEnd < 0) {
        if (this.buf.length > this.maxMessageSize) {
          out.push({ type: 'error', reason: 'header block too large' });
          this.buf = Buffer.alloc(0);
        }
        break;
      }
      const head = this.buf.toString('latin1', 0, headEnd);
      const m = CONTENT_LENGTH.exec(head);
      // §18.3: on a stream Content-Length is mandatory; a missing one is taken as zero.
      const cl = m ? Number(m[1]) : 0;
      const total = headEnd + 4 + cl;
      if (total > this.maxMessageSize) {
        out.push({ type: 'error', reason: `message too large (${total} bytes)` });
        this.buf = Buffer.alloc(0);
        break;
      }
      if (this.buf.length < total) break;
      out.push({ type: 'message', data: this.buf.subarray(0, total) });
      this.buf = this.buf.subarray(total);
    }
    return out;
  }

  get buffered(): number {
    return this.buf.length;
  }
}
