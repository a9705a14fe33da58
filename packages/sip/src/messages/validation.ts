import { splitList as splitList_ } from './grammar';
import type { SipRequest } from './message';

// Module-local aliases: tsx/esbuild turn imported bindings into getters, too slow per character.
const splitList = splitList_;

export interface RequestPolicy {
  /** Request-URI schemes this element serves (RFC 3261 §8.2.2.1). */
  schemes: string[];
  /** Option tags understood in Require (§8.2.2.3). */
  supported: string[];
  /** Body types understood (§8.2.3). */
  accept: string[];
}

export const DEFAULT_POLICY: RequestPolicy = {
  schemes: ['sip', 'sips', 'tel'],
  supported: ['replaces', 'timer', 'outbound', 'path', 'gruu'],
  accept: ['application/sdp', 'application/dtmf-relay', 'message/sipfrag', 'text/plain', 'multipart/mixed'],
};

export interface Rejection {
  status: number;
  reason?: string;
  headers: Array<[string, string]>;
}

function list(req: SipRequest, name: string): string[] {
  const out: string[] = [];
  for (const v of req.getAll(name)) for (const p of splitList(v) ?? []) out.push(p);
  return out;
}

/**
 * The UAS checks of RFC 3261 §8.2 that come after a message parses, in the order the RFC gives.
 * Returns the response to send, or undefined when the request may proceed to the TU.
 */
export function checkRequest(req: SipRequest, policy: RequestPolicy = DEFAULT_POLICY): Rejection | undefined {
  // §8.2.2.1 / RFC 4475 §3.3.2–3: a scheme we do not serve gets 416.
  if (!policy.schemes.includes(req.uri.scheme.toLowerCase())) {
    return { status: 416, headers: [] };
  }
  // §16.3 / RFC 4475 §3.3.11: an element that would forward a request with Max-Forwards 0 answers 483.
  // The switch re-originates every request it accepts (B2BUA), so the check applies to all but ACK.
  const mf = req.get('max-forwards');
  if (mf !== undefined && Number(mf) === 0 && req.method !== 'ACK' && req.method !== 'CANCEL') {
    return { status: 483, headers: [] };
  }
  // §8.2.2.3: unknown option tags in Require get 420 with Unsupported; not for ACK and CANCEL.
  if (req.method !== 'ACK' && req.method !== 'CANCEL') {
    const unsupported = list(req, 'require').filter((t) => !policy.supported.includes(t.toLowerCase()));
    if (unsupported.length > 0) return { status: 420, headers: [['Unsupported', unsupported.join(', ')]] };
  }
  // §8.2.3: a body we cannot read, when it is meant for the session, gets 415 with Accept.
  const ct = req.contentType;
  if (req.body.length > 0 && ct !== undefined) {
    const disposition = (req.get('content-disposition') ?? 'session').split(';')[0]?.trim().toLowerCase();
    const optional = /;\s*handling\s*=\s*optional/i.test(req.get('content-disposition') ?? '');
    if (!policy.accept.includes(ct) && !optional && (disposition === 'session' || disposition === 'render')) {
      return { status: 415, headers: [['Accept', policy.accept.join(', ')]] };
    }
  }
  // §8.2.3 / RFC 4475 §3.3.15: an INVITE whose Accept excludes SDP leaves nothing to answer with.
  if (req.method === 'INVITE' && req.has('accept')) {
    const accepted = list(req, 'accept').map((a) => a.split(';')[0]!.trim().toLowerCase());
    if (!accepted.some((a) => a === 'application/sdp' || a === '*/*' || a === 'application/*')) {
      return {
        status: 406,
        headers: [['Warning', '399 - "no acceptable body type in Accept; application/sdp is required"']],
      };
    }
  }
  return undefined;
}
