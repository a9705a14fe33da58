import { generateBranch } from '../messages/builders';
import { NameAddr, newVia } from '../messages/headers';
import { SipRequest, type SipResponse } from '../messages/message';
import type { Uri } from '../messages/uri';
import type { Flow } from '../transports/transport';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** Methods whose request and 2xx refresh the remote target (§12.2, RFC 3311, RFC 3515, RFC 6665). */
export const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

export interface DialogInit {
  callId: string;
  localTag: string;
  remoteTag: string;
  localUri: NameAddr;
  remoteUri: NameAddr;
  remoteTarget: Uri;
  routeSet: NameAddr[];
  localSeq: number;
  remoteSeq?: number;
  localContact: NameAddr;
  secure: boolean;
  flow?: Flow;
  isUac: boolean;
}

/**
 * Dialog state of RFC 3261 §12: identifiers, route set, remote target and CSeq spaces, and the
 * construction of in-dialog requests (§12.2.1.1). Session behaviour lives in SessionDialog.
 */
export class Dialog {
  state: DialogState = 'early';
  readonly callId: string;
  readonly localTag: string;
  remoteTag: string;
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  remoteTarget: Uri;
  routeSet: NameAddr[];
  localSeq: number;
  remoteSeq: number | undefined;
  localContact: NameAddr;
  readonly secure: boolean;
  /** The connection the peer last reached us on; requests reuse it (RFC 5626 flows, RFC 7118). */
  flow: Flow | undefined;
  readonly isUac: boolean;

  constructor(init: DialogInit) {
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.localUri = init.localUri;
    this.remoteUri = init.remoteUri;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.localContact = init.localContact;
    this.secure = init.secure;
    this.flow = init.flow;
    this.isUac = init.isUac;
  }

  get id(): string {
    return dialogId(this.callId, this.localTag, this.remoteTag);
  }

  /** §12.2.1.1: a request within the dialog. CSeq increments for everything but ACK and CANCEL. */
  createRequest(method: string, cseq?: number): SipRequest {
    let requestUri: Uri = this.remoteTarget;
    let routes = this.routeSet;
    const first = routes[0];
    if (first && first.uri.type === 'sip' && !first.uri.params.has('lr')) {
      // Strict routing (RFC 2543 peers): the first route becomes the Request-URI and the remote
      // target goes last in the Route header (§12.2.1.1).
      requestUri = first.uri;
      routes = [...routes.slice(1), new NameAddr(this.remoteTarget)];
    }
    const req = new SipRequest(method, requestUri);
    req.set('via', newVia(generateBranch()));
    req.set('max-forwards', '70');
    const from = this.localUri.clone();
    from.tag = this.localTag;
    const to = this.remoteUri.clone();
    to.params.delete('tag');
    if (this.remoteTag) to.tag = this.remoteTag;
    req.set('from', from);
    req.set('to', to);
    req.set('call-id', this.callId);
    const seq = cseq ?? (method === 'ACK' || method === 'CANCEL' ? this.localSeq : ++this.localSeq);
    req.set('cseq', `${seq} ${method}`);
    if (routes.length > 0) req.set('route', routes);
    if (TARGET_REFRESH.has(method)) req.set('contact', this.localContact);
    return req;
  }

  /** §12.2.2: a request whose CSeq is lower than the last one seen is out of order. */
  acceptRemoteSeq(request: SipRequest): boolean {
    if (request.method === 'ACK' || request.method === 'CANCEL') return true;
    const seq = request.cseq.seq;
    if (this.remoteSeq !== undefined && seq <= this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }

  /** Remote target refresh from a request or 2xx Contact (§12.2.1.2, §12.2.2). */
  refreshTarget(message: SipRequest | SipResponse): void {
    const c = message.contact;
    if (c) this.remoteTarget = c.uri;
  }
}

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}
