import { randomBytes } from 'node:crypto';
import { SipRequest, SipResponse } from './message';

/** RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this magic cookie. */
export const MAGIC_COOKIE = 'z9hG4bK';

// Random identifiers come from a pooled buffer: one crypto call per 4 KiB instead of per id.
let pool = randomBytes(4096);
let poolPos = 0;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomToken(length = 16): string {
  if (poolPos + length > pool.length) {
    pool = randomBytes(4096);
    poolPos = 0;
  }
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[(pool[poolPos++] ?? 0) % 62];
  return s;
}

export const generateBranch = (): string => MAGIC_COOKIE + randomToken(16);
export const generateTag = (): string => randomToken(12);
export const generateCallId = (): string => randomToken(22);

export const REASON_PHRASES: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  204: 'No Notification',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Moved Temporarily',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  410: 'Gone',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  421: 'Extension Required',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  484: 'Address Incomplete',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  489: 'Bad Event',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? (status < 200 ? 'Progress' : status < 300 ? 'OK' : 'Error');
}

/**
 * Builds a response to `req` per RFC 3261 §8.2.6: Via, From, To, Call-ID and CSeq copied; a To tag
 * added for anything but 100 when the request had none.
 */
export function createResponse(
  req: SipRequest,
  status: number,
  reason?: string,
  toTag?: string,
): SipResponse {
  const res = new SipResponse(status, reason ?? reasonPhrase(status));
  const f = req.rawFields();
  const out = res.rawFields();
  const vias = f.get('via');
  if (vias) out.set('via', [...vias]);
  const from = req.from;
  if (from) out.set('from', [from]);
  const to = req.to?.clone();
  if (to) {
    // §8.2.6.2: 100 Trying carries no tag; everything else gets the UAS's tag.
    if (!to.tag && status > 100) to.tag = toTag ?? generateTag();
    out.set('to', [to]);
  }
  out.set('call-id', [req.callId]);
  out.set('cseq', [req.cseq.seq + ' ' + req.cseq.method]);
  // §8.2.6.1: a 100 Trying copies the Timestamp header.
  const ts = req.get('timestamp');
  if (status === 100 && ts) out.set('timestamp', [ts]);
  return res;
}

export { SipRequest, SipResponse };
