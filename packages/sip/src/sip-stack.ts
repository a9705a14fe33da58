import type { Server as HttpServer } from 'node:http';
import { addDigestAuthorization, type ClientCredentials } from './auth/digest-client';
import { dialogId } from './dialogs/dialog';
import { type InviteOptions, OutgoingInvite } from './dialogs/outgoing-invite';
import { parseReplaces } from './dialogs/refer';
import { SessionDialog } from './dialogs/session-dialog';
import { IncomingRequest } from './incoming-request';
import { createResponse, generateBranch, generateCallId, generateTag } from './messages/builders';
import { NameAddr, newVia, parseNameAddr } from './messages/headers';
import { SipRequest, type SipResponse } from './messages/message';
import { DEFAULT_LIMITS, type ParseLimits } from './messages/parser';
import { parseUri, SipUri, type Uri } from './messages/uri';
import { checkRequest, DEFAULT_POLICY, type RequestPolicy } from './messages/validation';
import { InviteServerTransaction } from './transactions/invite-server-transaction';
import type { NonInviteServerTransaction } from './transactions/non-invite-server-transaction';
import { DEFAULT_TIMERS, type TimerConfig } from './transactions/timers';
import type { ClientTransactionUser } from './transactions/transaction';
import { type ClientTransaction, TransactionLayer } from './transactions/transaction-layer';
import type { ConnectionLimits } from './transports/connection-limits';
import { TcpTransport } from './transports/tcp-transport';
import type { Flow, Transport, TransportName } from './transports/transport';
import { type Target, TransportLayer } from './transports/transport-layer';
import { UdpTransport } from './transports/udp-transport';
import {
  attachWebSocketTransport,
  type WebSocketTransport,
  type WebSocketTransportOptions,
} from './transports/ws-transport';

export interface SipStackOptions {
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** UDP and TCP port; 0 picks a free one (UDP first, TCP on the same number). Default 5060. */
  port?: number;
  /** Address advertised in Via and Contact (SIP_PUBLIC_ADDRESS). */
  publicHost?: string;
  /** Transports to listen on (default UDP and TCP). */
  transports?: Array<'UDP' | 'TCP'>;
  timers?: Partial<TimerConfig>;
  policy?: Partial<RequestPolicy>;
  limits?: Partial<ParseLimits>;
  /** Server / User-Agent header value. */
  userAgent?: string;
  /** Delay before the INVITE server transaction sends 100 Trying itself (§17.2.1; default 200 ms). */
  trying100Delay?: number;
  /** Messages dropped or rejected at the transport layer, for logs and metrics. */
  onTransportError?(reason: string, flow: Flow): void;
  /** Bounds on incoming SIP-over-TCP connections. */
  tcpLimits?: ConnectionLimits;
  /**
   * Admission of a request that would start something new (outside any dialog or transaction).
   * false drops it before any transaction exists: nothing is answered and no state is kept, so a
   * flood costs no more than its parsing. In-dialog requests, retransmissions, ACKs and CANCELs of
   * known INVITEs are never asked about.
   */
  admitRequest?(request: SipRequest, flow: Flow): boolean;
}

export interface SendOptions {
  /** Explicit next hop; by default the first Route, else the Request-URI (§8.1.2). */
  target?: Target;
  /** Reuse this flow (the connection of a WebSocket or TCP peer). */
  flow?: Flow;
  credentials?: ClientCredentials;
  onProvisional?(response: SipResponse): void;
}

export interface RequestInit {
  from: NameAddr | string;
  to?: NameAddr | string;
  callId?: string;
  cseq?: number;
  /** Contact; by default one for this stack on `transport` (for INVITE, REGISTER, SUBSCRIBE, REFER). */
  contact?: NameAddr | string | false;
  transport?: TransportName;
  body?: string | Buffer;
  contentType?: string;
  headers?: Array<[string, string]>;
}

const TRANSPORT_PARAM: Record<string, TransportName> = { udp: 'UDP', tcp: 'TCP', ws: 'WS', wss: 'WS' };

function toNameAddr(v: NameAddr | string): NameAddr {
  if (typeof v !== 'string') return v;
  const na = parseNameAddr(v.includes('<') ? v : `<${v}>`);
  if (!na) throw new Error(`invalid name-addr: ${v}`);
  return na;
}

/**
 * The application's handle on SIP: listens on the configured transports, hands incoming requests
 * (with the server transaction to answer them) to `onRequest`, sends requests through client
 * transactions, and creates and tracks INVITE dialogs.
 */
export class SipStack {
  readonly transactions: TransactionLayer;
  readonly transport: TransportLayer;
  readonly timers: TimerConfig;
  readonly dialogs = new Map<string, SessionDialog>();
  readonly userAgent: string | undefined;
  /** New requests outside any dialog. Without a handler the stack answers 501 (ACK is ignored). */
  onRequest: ((incoming: IncomingRequest) => void) | undefined;
  /** Responses that matched no transaction (stray or late), for diagnostics. */
  onStrayResponse: ((response: SipResponse) => void) | undefined;
  private readonly policy: RequestPolicy;
  private readonly trying100Delay: number;
  /** See SipStackOptions.admitRequest; settable after start. */
  admitRequest: ((request: SipRequest, flow: Flow) => boolean) | undefined;

  constructor(options: SipStackOptions = {}) {
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.userAgent = options.userAgent;
    this.trying100Delay = options.trying100Delay ?? 200;
    this.admitRequest = options.admitRequest;
    this.transactions = new TransactionLayer(this.timers);
    this.transport = new TransportLayer({
      onRequest: (req, flow) => this.receiveRequest(req, flow),
      onResponse: (res) => this.receiveResponse(res),
      onError: options.onTransportError,
    });
    this.transport.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  /** Creates a stack and starts listening. */
  static async listen(options: SipStackOptions = {}): Promise<SipStack> {
    const stack = new SipStack(options);
    const host = options.host ?? '127.0.0.1';
    const wanted = options.transports ?? ['UDP', 'TCP'];
    let port = options.port ?? 5060;
    // With port 0, UDP picks a free port and TCP takes the same number; retry if TCP's is busy.
    for (let attempt = 0; ; attempt++) {
      const opened: Transport[] = [];
      try {
        if (wanted.includes('UDP')) {
          const udp = await UdpTransport.listen({ host, port, publicHost: options.publicHost });
          opened.push(udp);
          port = udp.port;
        }
        if (wanted.includes('TCP'))
          opened.push(
            await TcpTransport.listen({
              host,
              port,
              publicHost: options.publicHost,
              limits: options.tcpLimits,
            }),
          );
        for (const t of opened) stack.transport.add(t);
        return stack;
      } catch (e) {
        await Promise.all(opened.map((t) => t.close()));
        if (options.port !== 0 || attempt > 10) throw e;
        port = 0;
      }
    }
  }

  /** The port UDP/TCP listen on. */
  get port(): number {
    return this.transport.transports[0]?.port ?? 0;
  }

  get host(): string {
    return this.transport.transports[0]?.host ?? '127.0.0.1';
  }

  addTransport(transport: Transport): void {
    this.transport.add(transport);
  }

  /** SIP over WebSocket on an existing HTTP server's upgrade, e.g. at '/sip' (RFC 7118). */
  attachWebSocket(server: HttpServer, options: WebSocketTransportOptions): WebSocketTransport {
    const ws = attachWebSocketTransport(server, options);
    this.transport.add(ws);
    return ws;
  }

  /** A Contact for this stack on a transport. */
  contact(transport: TransportName = 'UDP', user?: string): NameAddr {
    const local = this.transport.local(transport);
    const uri = new SipUri('sip', local.host, local.port, user);
    if (transport !== 'UDP') uri.params.set('transport', transport.toLowerCase());
    return new NameAddr(uri);
  }

  /** A new out-of-dialog request (§8.1.1) with From tag, Call-ID, CSeq, Max-Forwards and Via. */
  createRequest(method: string, uri: Uri | string, init: RequestInit): SipRequest {
    const ruri = typeof uri === 'string' ? parseUri(uri) : uri;
    if (!ruri) throw new Error(`invalid Request-URI: ${String(uri)}`);
    const req = new SipRequest(method, ruri);
    req.set('via', newVia(generateBranch(), init.transport ?? 'UDP'));
    req.set('max-forwards', '70');
    const from = toNameAddr(init.from).clone();
    if (!from.tag) from.tag = generateTag();
    req.set('from', from);
    const to = init.to ? toNameAddr(init.to).clone() : new NameAddr(ruri);
    req.set('to', to);
    req.set('call-id', init.callId ?? generateCallId());
    req.set('cseq', `${init.cseq ?? 1} ${method}`);
    if (
      init.contact !== false &&
      (init.contact || ['INVITE', 'REGISTER', 'SUBSCRIBE', 'REFER'].includes(method))
    ) {
      const user = from.uri.type === 'sip' ? from.uri.user : undefined;
      req.set(
        'contact',
        init.contact ? toNameAddr(init.contact) : this.contact(init.transport ?? 'UDP', user),
      );
    }
    if (this.userAgent) req.set('user-agent', this.userAgent);
    for (const [k, v] of init.headers ?? []) req.append(k, v);
    if (init.body !== undefined) req.setBody(init.body, init.contentType);
    return req;
  }

  /** §8.1.2: the next hop is the first Route (loose routing) or the Request-URI. */
  resolveTarget(request: SipRequest, options: SendOptions = {}): Target {
    if (options.target) return options.target;
    const flow = options.flow?.connection && !options.flow.connection.closed ? options.flow : undefined;
    const route = request.nameAddrs('route')[0];
    const uri = route?.uri ?? request.uri;
    if (uri.type !== 'sip') throw new Error(`cannot route to ${uri.toString()}`);
    const maddr = uri.params.get('maddr');
    const transport = TRANSPORT_PARAM[uri.transport ?? ''] ?? (uri.scheme === 'sips' ? 'TCP' : 'UDP');
    const target: Target = {
      host: maddr ?? uri.host.replace(/^\[|\]$/g, ''),
      port: uri.port ?? (uri.scheme === 'sips' ? 5061 : 5060),
      transport: flow ? flow.transport : transport,
    };
    if (flow) target.flow = flow;
    return target;
  }

  /** Starts a client transaction for `request` (its top Via is completed here). */
  startClientTransaction(
    request: SipRequest,
    options: SendOptions,
    user: ClientTransactionUser,
  ): ClientTransaction {
    const target = this.resolveTarget(request, options);
    const channel = this.transport.channelFor(request, target);
    return this.transactions.createClient(request, channel, user);
  }

  /** A locally generated final response (timeout, transport error), shaped as if the peer sent it. */
  synthesize(request: SipRequest, status: number, reason: string): SipResponse {
    const res = createResponse(request, status, reason);
    res.set('warning', `399 ${this.host} "generated locally"`);
    return res;
  }

  /**
   * Sends a request through a client transaction and resolves with its final response. Timeouts
   * and transport errors resolve as locally generated 408 / 503; a 401/407 is answered once when
   * credentials are given. Never rejects for network reasons.
   */
  send(request: SipRequest, options: SendOptions = {}): Promise<SipResponse> {
    return new Promise((resolve) => {
      let retried = false;
      let settled = false;
      const attempt = (req: SipRequest) => {
        try {
          this.startClientTransaction(req, options, {
            onResponse: (res) => {
              if (res.status < 200) return options.onProvisional?.(res);
              if (settled) {
                // A retransmitted 2xx to a re-INVITE: the dialog re-sends its ACK (§13.2.2.4).
                if (req.method === 'INVITE' && res.status < 300) {
                  const d = this.findDialog(res.callId, res.from?.tag ?? '', res.to?.tag ?? '');
                  if (d?.hasAcked(res.cseq.seq)) d.ack(res, req);
                }
                return;
              }
              if ((res.status === 401 || res.status === 407) && options.credentials && !retried) {
                retried = true;
                const again = req.clone();
                again.set('via', newVia(generateBranch()));
                again.set('cseq', `${req.cseq.seq + 1} ${req.method}`);
                if (addDigestAuthorization(again, res, options.credentials)) return attempt(again);
              }
              settled = true;
              resolve(res);
            },
            onTimeout: () => resolve(this.synthesize(req, 408, 'Request Timeout')),
            onTransportError: (e) => resolve(this.synthesize(req, 503, `Transport Error: ${e.message}`)),
          });
        } catch (e) {
          resolve(
            this.synthesize(req, 503, `Transport Error: ${e instanceof Error ? e.message : String(e)}`),
          );
        }
      };
      attempt(request);
    });
  }

  /** Sends a request with no transaction (the ACK for a 2xx). */
  sendStateless(request: SipRequest, options: SendOptions = {}): Promise<void> {
    try {
      return this.transport.sendStateless(request, this.resolveTarget(request, options));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Sends an INVITE and follows it through provisional responses, forks, ACK and dialogs. */
  invite(request: SipRequest, options: InviteOptions = {}): OutgoingInvite {
    const inv = new OutgoingInvite(this, request, options);
    inv.start();
    return inv;
  }

  // ---- dialogs --------------------------------------------------------------------------------

  findDialog(callId: string, localTag: string, remoteTag: string): SessionDialog | undefined {
    return this.dialogs.get(dialogId(callId, localTag, remoteTag));
  }

  removeDialog(dialog: SessionDialog): void {
    if (this.dialogs.get(dialog.id) === dialog) this.dialogs.delete(dialog.id);
  }

  /** §12.1.1: the UAS dialog from an INVITE and the response that establishes it. */
  createUasDialog(incoming: IncomingRequest, response: SipResponse): SessionDialog {
    const req = incoming.request;
    const contact = req.contact;
    const transport = incoming.flow.transport;
    const local = this.contact(transport, req.uri.type === 'sip' ? req.uri.user : undefined);
    const dialog = new SessionDialog(this, {
      callId: req.callId,
      localTag: response.to?.tag ?? incoming.localTag,
      remoteTag: req.from?.tag ?? '',
      localUri: req.to!.clone(),
      remoteUri: req.from!.clone(),
      remoteTarget: contact?.uri ?? req.from!.uri,
      routeSet: req.nameAddrs('record-route'),
      localSeq: Math.floor(Math.random() * 10000),
      remoteSeq: req.cseq.seq,
      localContact: local,
      secure: req.uri.scheme === 'sips',
      flow: incoming.flow.connection ? incoming.flow : undefined,
      isUac: false,
    });
    this.dialogs.set(dialog.id, dialog);
    incoming.dialog = dialog;
    return dialog;
  }

  /** §12.1.2: the UAC dialog from a 1xx (with To tag) or 2xx. */
  createUacDialog(request: SipRequest, response: SipResponse, flow?: Flow): SessionDialog {
    const contact = response.contact;
    const dialog = new SessionDialog(this, {
      callId: request.callId,
      localTag: request.from?.tag ?? '',
      remoteTag: response.to?.tag ?? '',
      localUri: request.from!.clone(),
      remoteUri: response.to!.clone(),
      remoteTarget: contact?.uri ?? request.uri,
      routeSet: response.nameAddrs('record-route').reverse(),
      localSeq: request.cseq.seq,
      localContact: request.contact ?? this.contact(),
      secure: request.uri.scheme === 'sips',
      flow,
      isUac: true,
    });
    dialog.state = response.status < 200 ? 'early' : 'confirmed';
    this.dialogs.set(dialog.id, dialog);
    return dialog;
  }

  // ---- incoming -------------------------------------------------------------------------------

  private receiveRequest(req: SipRequest, flow: Flow): void {
    try {
      this.dispatchRequest(req, flow);
    } catch {
      // The application or a bug threw: never let that take the process down (answer 500 if we can).
      const tx = this.transactions.findServer(req);
      if (tx && !tx.finalResponseSent && req.method !== 'ACK') tx.respond(createResponse(req, 500));
    }
  }

  private dispatchRequest(req: SipRequest, flow: Flow): void {
    const existing = this.transactions.findServer(req);
    // RFC 6026 §7.1: an ACK that matches an INVITE transaction in Accepted (a peer reusing the
    // INVITE's branch, e.g. RFC 2543 style) acknowledges the 2xx and belongs to the dialog.
    const ackForAccepted = req.method === 'ACK' && existing?.state === 'accepted';
    if (existing && !ackForAccepted) {
      existing.receiveRequest(req);
      return;
    }
    if (req.method === 'ACK') {
      // An ACK for a 2xx is its own transaction-less request, delivered to the dialog (§13.3.1.4).
      const toTag = req.to?.tag;
      const d = toTag ? this.findDialog(req.callId, toTag, req.from?.tag ?? '') : undefined;
      d?.receiveAck(req);
      return;
    }
    if (this.admitRequest && !this.knownContext(req) && !this.admitRequest(req, flow)) return;
    const channel = this.transport.responseChannel(flow);
    if (req.method === 'CANCEL') {
      const tx = this.transactions.createServer(req, channel) as NonInviteServerTransaction;
      const inviteTx = this.transactions.findInviteForCancel(req);
      // §9.2: 200 to the CANCEL itself; the INVITE then gets 487 unless already answered.
      tx.respond(createResponse(req, inviteTx ? 200 : 481));
      inviteTx?.cancel(req);
      return;
    }
    const tx = this.transactions.createServer(req, channel);
    if (tx instanceof InviteServerTransaction) tx.start(this.trying100Delay);
    const incoming = new IncomingRequest(this, req, flow, tx);
    const rejection = checkRequest(req, this.policy);
    if (rejection) {
      incoming.reply(rejection.status, { reason: rejection.reason, headers: rejection.headers });
      return;
    }
    const toTag = req.to?.tag;
    if (toTag) {
      // §12.2.2: a request with a To tag belongs to a dialog; unknown ones get 481.
      const dialog = this.findDialog(req.callId, toTag, req.from?.tag ?? '');
      if (!dialog) {
        incoming.reply(481);
        return;
      }
      if (!dialog.acceptRemoteSeq(req)) {
        incoming.reply(500, { reason: 'CSeq Out of Order' });
        return;
      }
      incoming.dialog = dialog;
      dialog.handleRequest(incoming);
      return;
    }
    if (req.method === 'INVITE' && req.has('replaces')) {
      // RFC 3891 §3: the dialog named by Replaces must exist (and be confirmed unless early-only).
      const r = parseReplaces(req.get('replaces') ?? '');
      const target = r ? this.findDialog(r.callId, r.toTag, r.fromTag) : undefined;
      if (!r || !target || target.state === 'terminated') {
        incoming.reply(r ? 481 : 400);
        return;
      }
      if (r.earlyOnly && target.state === 'confirmed') {
        incoming.reply(486);
        return;
      }
      incoming.replaces = target;
    }
    if (!this.onRequest) {
      incoming.reply(501);
      return;
    }
    this.onRequest(incoming);
  }

  /** A request that belongs to an established dialog, or a CANCEL of an INVITE in progress. */
  private knownContext(req: SipRequest): boolean {
    const toTag = req.to?.tag;
    if (toTag && this.findDialog(req.callId, toTag, req.from?.tag ?? '')) return true;
    return req.method === 'CANCEL' && this.transactions.findInviteForCancel(req) !== undefined;
  }

  private receiveResponse(res: SipResponse): void {
    const tx = this.transactions.matchResponse(res);
    if (tx) {
      try {
        tx.receiveResponse(res);
      } catch {
        // A TU callback threw; the transaction state is already advanced.
      }
      return;
    }
    // A 2xx retransmission after the INVITE transaction ended: re-send the ACK (§13.2.2.4).
    if (res.status >= 200 && res.status < 300 && res.cseq.method === 'INVITE') {
      const d = this.findDialog(res.callId, res.from?.tag ?? '', res.to?.tag ?? '');
      if (d?.hasAcked(res.cseq.seq)) {
        d.ack(res, new SipRequest('INVITE', d.remoteTarget));
        return;
      }
    }
    this.onStrayResponse?.(res);
  }

  /** Stops listening, terminates all transactions and dialogs. */
  async close(): Promise<void> {
    for (const d of [...this.dialogs.values()]) d.terminate('stack closed');
    this.transactions.clear();
    await this.transport.close();
  }
}
