import type { ClientCredentials } from '../auth/digest-client';
import { addDigestAuthorization } from '../auth/digest-client';
import type { IncomingRequest } from '../incoming-request';
import { generateBranch } from '../messages/builders';
import { NameAddr, newVia } from '../messages/headers';
import type { SipRequest, SipResponse } from '../messages/message';
import type { Uri } from '../messages/uri';
import type { SipStack } from '../sip-stack';
import { Timer } from '../transactions/timers';
import type { Flow } from '../transports/transport';
import { Dialog, type DialogInit } from './dialog';
import { replacesFor, sipfrag } from './refer';

export interface DialogRequestOptions {
  body?: string | Buffer;
  contentType?: string;
  headers?: Array<[string, string]>;
  /** For re-INVITE: the body of the ACK (late offer), given the 2xx. */
  ackBody?: (response: SipResponse) => { body: string | Buffer; contentType: string } | undefined;
}

/**
 * An INVITE dialog (RFC 3261 §13–15): 2xx retransmission until ACK on the UAS side, ACK for 2xx on
 * the UAC side, in-dialog requests (BYE, re-INVITE, UPDATE, INFO, REFER/NOTIFY), and termination.
 */
export class SessionDialog extends Dialog {
  /** In-dialog requests (not ACK). Without a handler: BYE gets 200, re-INVITE 488, others 200. */
  onRequest: ((incoming: IncomingRequest) => void) | undefined;
  /** The ACK for our 2xx arrived (it may carry the SDP answer to a late offer). */
  onAck: ((ack: SipRequest) => void) | undefined;
  onTerminated: ((reason: string) => void) | undefined;
  credentials: ClientCredentials | undefined;
  lastResponse: SipResponse | undefined;
  terminationReason: string | undefined;

  private pending2xx:
    | { response: SipResponse; flow: Flow; seq: number; timer: Timer; started: number }
    | undefined;
  private ackWaiters: Array<() => void> = [];
  /** UAC: the ACK sent for each INVITE CSeq, re-sent when the 2xx is retransmitted (§13.2.2.4). */
  private readonly acks = new Map<number, SipRequest | undefined>();
  private readonly ackExpiry = new Timer('ack-expiry');
  private terminatedWaiters: Array<(reason: string) => void> = [];

  constructor(
    readonly stack: SipStack,
    init: DialogInit,
  ) {
    super(init);
  }

  // ---- UAS: 2xx reliability -------------------------------------------------------------------

  /**
   * §13.3.1.4: the UAS core retransmits the 2xx at T1, doubling to T2, until the ACK arrives. After
   * 64*T1 without an ACK the dialog is confirmed but the session is over, so it sends BYE.
   */
  retransmit2xx(response: SipResponse, flow: Flow): void {
    this.pending2xx?.timer.stop();
    const timer = new Timer('2xx');
    const seq = response.cseq.seq;
    const t = this.stack.timers;
    const p = { response, flow, seq, timer, started: Date.now() };
    this.pending2xx = p;
    const fire = (interval: number, elapsed: number) => {
      timer.start(interval, () => {
        if (this.pending2xx !== p || this.state === 'terminated') return;
        const total = elapsed + interval;
        if (total >= 64 * t.T1) {
          this.pending2xx = undefined;
          void this.bye().catch(() => {});
          return;
        }
        this.stack.transport.sendResponse(response, flow).catch(() => {});
        fire(Math.min(interval * 2, t.T2), total);
      });
    };
    fire(t.T1, 0);
  }

  /** An ACK matched this dialog. Returns false if it acknowledged nothing we sent. */
  receiveAck(ack: SipRequest): boolean {
    const p = this.pending2xx;
    if (!p || ack.cseq.seq !== p.seq) return false;
    p.timer.stop();
    this.pending2xx = undefined;
    this.lastResponse = undefined; // an idle dialog need not hold its 2xx
    if (ack.contact) this.remoteTarget = ack.contact.uri;
    this.onAck?.(ack);
    const ws = this.ackWaiters;
    this.ackWaiters = [];
    for (const w of ws) w();
    return true;
  }

  /** Resolves when the ACK for the last 2xx we sent has arrived. */
  waitForAck(): Promise<void> {
    if (!this.pending2xx) return Promise.resolve();
    return new Promise((resolve) => this.ackWaiters.push(resolve));
  }

  get awaitingAck(): boolean {
    return this.pending2xx !== undefined;
  }

  // ---- UAC: ACK for 2xx -----------------------------------------------------------------------

  /**
   * §13.2.2.4: the UAC core builds the ACK for a 2xx itself (it is a new transaction-less request
   * with a fresh branch), carries the INVITE's credentials, and re-sends it for each 2xx retransmission.
   */
  ack(
    response: SipResponse,
    invite: SipRequest,
    body?: { body: string | Buffer; contentType: string },
  ): void {
    const seq = response.cseq.seq;
    if (this.acks.has(seq) && this.acks.get(seq) === undefined) return; // long past 64*T1
    let ack = this.acks.get(seq);
    if (!ack) {
      ack = this.createRequest('ACK', seq);
      for (const h of ['authorization', 'proxy-authorization']) {
        const v = invite.getAll(h);
        if (v.length > 0) ack.set(h, v);
      }
      if (body) ack.setBody(body.body, body.contentType);
      this.acks.set(seq, ack);
      // A 2xx is retransmitted for at most 64*T1 (§13.3.1.4); after that the ACKs need not be kept,
      // so an idle dialog holds none. The keys stay, so hasAcked() still answers for them.
      this.ackExpiry.start(64 * this.stack.timers.T1, () => {
        for (const k of this.acks.keys()) this.acks.set(k, undefined);
      });
    }
    this.stack.sendStateless(ack, { flow: this.flow }).catch(() => {});
  }

  hasAcked(seq: number): boolean {
    return this.acks.has(seq);
  }

  // ---- requests within the dialog ---------------------------------------------------------

  /** Sends a request within the dialog and resolves with its final response. */
  async request(method: string, options: DialogRequestOptions = {}): Promise<SipResponse> {
    if (this.state === 'terminated' && method !== 'BYE') throw new Error('dialog terminated');
    const req = this.createRequest(method);
    for (const [k, v] of options.headers ?? []) req.append(k, v);
    if (options.body !== undefined) req.setBody(options.body, options.contentType);
    let res = await this.stack.send(req, { flow: this.flow });
    if ((res.status === 401 || res.status === 407) && this.credentials) {
      const retry = req.clone();
      retry.set('cseq', `${++this.localSeq} ${method}`);
      retry.set('via', newVia(generateBranch()));
      if (addDigestAuthorization(retry, res, this.credentials))
        res = await this.stack.send(retry, { flow: this.flow });
    }
    if (method === 'INVITE' && res.status >= 200 && res.status < 300) {
      this.refreshTarget(res);
      this.ack(res, req, options.ackBody?.(res));
    }
    // §12.2.1.2: 481 or 408 to an in-dialog request ends the dialog.
    if (res.status === 481 || res.status === 408) this.terminate(`${method} got ${res.status}`);
    return res;
  }

  /** Ends the session (§15.1.1). */
  async bye(options: DialogRequestOptions = {}): Promise<SipResponse> {
    if (this.state === 'terminated') throw new Error('dialog already terminated');
    this.pending2xx?.timer.stop();
    this.pending2xx = undefined;
    const p = this.request('BYE', options);
    // §15.1.1: the session is over once BYE is sent; the dialog ends with its response.
    try {
      return await p;
    } finally {
      this.terminate('bye sent');
    }
  }

  reinvite(sdp: string, options: DialogRequestOptions = {}): Promise<SipResponse> {
    return this.request('INVITE', { ...options, body: sdp, contentType: 'application/sdp' });
  }

  /** UPDATE (RFC 3311), e.g. to change the session before the INVITE completes. */
  update(sdp?: string, options: DialogRequestOptions = {}): Promise<SipResponse> {
    return this.request('UPDATE', sdp ? { ...options, body: sdp, contentType: 'application/sdp' } : options);
  }

  /** INFO (RFC 6086), e.g. application/dtmf-relay. */
  info(body: string, contentType: string, options: DialogRequestOptions = {}): Promise<SipResponse> {
    return this.request('INFO', { ...options, body, contentType });
  }

  /**
   * REFER (RFC 3515). With `replaces`, the Refer-To carries a Replaces header naming that dialog
   * (RFC 3891 §3), the shape of an attended transfer.
   */
  refer(
    target: Uri | NameAddr,
    options: DialogRequestOptions & { replaces?: Dialog } = {},
  ): Promise<SipResponse> {
    const na = target instanceof NameAddr ? target.clone() : new NameAddr(target);
    if (options.replaces && na.uri.type === 'sip') {
      na.uri = na.uri.clone();
      na.uri.headers.set('Replaces', replacesFor(options.replaces));
    }
    const headers: Array<[string, string]> = [['Refer-To', na.toString()], ...(options.headers ?? [])];
    return this.request('REFER', { ...options, headers });
  }

  /** NOTIFY for the implicit refer subscription (RFC 3515 §2.4.4) with a sipfrag of the progress. */
  notifyReferProgress(status: number, reason: string): Promise<SipResponse> {
    const final = status >= 200;
    return this.request('NOTIFY', {
      body: sipfrag(status, reason),
      contentType: 'message/sipfrag;version=2.0',
      headers: [
        ['Event', 'refer'],
        ['Subscription-State', final ? 'terminated;reason=noresource' : 'active;expires=60'],
      ],
    });
  }

  // ---- incoming ---------------------------------------------------------------------------

  /** Called by the stack for requests within this dialog (the CSeq check is already done). */
  handleRequest(incoming: IncomingRequest): void {
    const req = incoming.request;
    if (req.method === 'INVITE' || req.method === 'UPDATE') this.refreshTarget(req);
    if (incoming.flow.connection) this.flow = incoming.flow;
    if (req.method === 'BYE') {
      // Stop our 2xx retransmissions: a BYE implies the peer got the 2xx.
      this.pending2xx?.timer.stop();
      this.pending2xx = undefined;
    }
    if (this.onRequest) {
      try {
        this.onRequest(incoming);
      } catch {
        if (!incoming.answered) incoming.reply(500);
      }
    } else if (req.method === 'INVITE') incoming.reply(488);
    else if (req.method === 'REFER') incoming.reply(603);
    else incoming.reply(200);
    if (req.method === 'BYE') {
      if (!incoming.answered) incoming.reply(200);
      this.terminate('bye received');
    }
  }

  terminate(reason = 'terminated'): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.terminationReason = reason;
    this.pending2xx?.timer.stop();
    this.pending2xx = undefined;
    this.ackExpiry.stop();
    this.stack.removeDialog(this);
    this.onTerminated?.(reason);
    const ws = this.terminatedWaiters;
    this.terminatedWaiters = [];
    for (const w of ws) w(reason);
  }

  /** Resolves with the reason when the dialog ends. */
  terminated(): Promise<string> {
    if (this.state === 'terminated') return Promise.resolve(this.terminationReason ?? 'terminated');
    return new Promise((resolve) => this.terminatedWaiters.push(resolve));
  }
}
