import { createResponse, generateTag } from '../messages/builders';
import { UNSENT_HOST, type Via } from '../messages/headers';
import type { SipMessageAny, SipRequest, SipResponse } from '../messages/message';
import { DEFAULT_LIMITS, errorResponseFor, type ParseLimits, parseMessage } from '../messages/parser';
import type { TransactionChannel } from '../transactions/transaction';
import type { Flow, Transport, TransportName } from './transport';

/** Where to send a request: resolved next hop (§8.1.2 / RFC 3263 without DNS SRV/NAPTR). */
export interface Target {
  host: string;
  port: number;
  transport: TransportName;
  /** Reuse this flow (connection) when it is still open: dialogs with WebSocket or TCP peers. */
  flow?: Flow;
}

export interface TransportLayerEvents {
  onRequest(request: SipRequest, flow: Flow): void;
  onResponse(response: SipResponse, flow: Flow): void;
  /** A message that was dropped or answered with an error, for logging and metrics. */
  onError?(reason: string, flow: Flow): void;
}

/** §18.1.1: a UDP request within 200 bytes of the 1500-byte MTU, or over 1300 bytes, goes over TCP. */
export const UDP_MTU_LIMIT = 1300;

const isIp = (h: string) => /^[\d.]+$/.test(h) || h.includes(':');

/**
 * The transport layer of RFC 3261 §18: parses what transports receive (answering unparseable
 * requests with 400), stamps received/rport on incoming requests (§18.2.1, RFC 3581), routes
 * responses by the top Via (§18.2.2), and picks the transport for outgoing requests.
 */
export class TransportLayer {
  readonly transports: Transport[] = [];
  limits: ParseLimits = DEFAULT_LIMITS;

  constructor(private readonly events: TransportLayerEvents) {}

  add(transport: Transport): void {
    this.transports.push(transport);
    transport.sink = (data, flow) => this.receive(data, flow, transport.messageOriented);
  }

  remove(transport: Transport): void {
    const i = this.transports.indexOf(transport);
    if (i >= 0) this.transports.splice(i, 1);
    transport.sink = undefined;
  }

  get(name: TransportName): Transport | undefined {
    return this.transports.find((t) => t.name === name);
  }

  receive(data: Buffer, flow: Flow, datagram: boolean): void {
    // A datagram of bare CRLFs is a keep-alive (RFC 5626 §3.5.1 style), not a malformed message.
    if (data.length <= 4 && data.every((b) => b === 13 || b === 10)) return;
    const receivedAt = performance.now();
    const result = parseMessage(data, { datagram, limits: this.limits });
    if (!result.ok) {
      this.events.onError?.(result.error.reason, flow);
      const reply = errorResponseFor(result.error, generateTag());
      // Sent straight back to the source: the Via may be the very thing that was malformed.
      if (reply) this.sendRaw(reply, flow).catch(() => {});
      return;
    }
    const msg = result.message;
    msg.receivedAt = receivedAt;
    if (msg.isRequest) {
      const via = msg.via!;
      // §18.2.1: note the source address when it differs from sent-by; RFC 3581 §4: fill rport.
      if (via.host !== flow.remoteAddress || via.hasParam('rport'))
        via.setParam('received', flow.remoteAddress);
      if (via.hasParam('rport')) via.setParam('rport', String(flow.remotePort));
      this.events.onRequest(msg, flow);
    } else {
      this.events.onResponse(msg, flow);
    }
  }

  private sendRaw(data: Buffer, flow: Flow): Promise<void> {
    const t = this.get(flow.transport);
    if (!t) return Promise.reject(new Error(`no ${flow.transport} transport`));
    return t.send(data, flow.remoteAddress, flow.remotePort, flow.connection);
  }

  /** Address and port for Via sent-by / Contact on a transport. */
  local(name: TransportName): { host: string; port: number } {
    const t = this.get(name) ?? this.transports[0];
    return t ? { host: t.host, port: t.port } : { host: '127.0.0.1', port: 5060 };
  }

  /**
   * Chooses the transport for a request and fixes its top Via sent-by to match. Returns a channel
   * for the client transaction. §18.1.1: large UDP requests move to TCP when TCP is available.
   */
  channelFor(request: SipRequest, target: Target): TransactionChannel & { transport: Transport } {
    let name = target.transport;
    const size = request.body.length + 600;
    if (name === 'UDP' && !target.flow && size > UDP_MTU_LIMIT && this.get('TCP')) {
      if (request.toBuffer().length > UDP_MTU_LIMIT) name = 'TCP';
    }
    const transport = this.get(name);
    if (!transport) throw new Error(`transport ${name} is not enabled`);
    const via = request.via;
    if (via) {
      via.transport = name;
      if (!via.host || via.host === UNSENT_HOST) {
        via.host = transport.host;
        via.port = transport.port;
      }
    }
    const connection = target.flow?.transport === name ? target.flow.connection : undefined;
    const host = target.flow?.connection ? target.flow.remoteAddress : target.host;
    const port = target.flow?.connection ? target.flow.remotePort : target.port;
    return {
      transport,
      reliable: transport.reliable,
      send: (m: SipMessageAny) => transport.send(m.toBuffer(), host, port, connection),
    };
  }

  /** Sends a request outside any transaction (ACK for 2xx, §13.2.2.4). */
  sendStateless(request: SipRequest, target: Target): Promise<void> {
    const ch = this.channelFor(request, target);
    return Promise.resolve(ch.send(request));
  }

  /** §18.2.2: where a response goes, from its top Via and the flow the request came in on. */
  responseChannel(flow: Flow): TransactionChannel {
    const t = this.get(flow.transport);
    return {
      reliable: t?.reliable ?? false,
      send: (m: SipMessageAny) => this.sendResponse(m as SipResponse, flow),
    };
  }

  sendResponse(response: SipResponse, flow: Flow): Promise<void> {
    const via = response.via;
    const t = this.get(flow.transport);
    if (!via || !t) return Promise.reject(new Error('response has no Via or transport'));
    const data = response.toBuffer();
    if (t.reliable) {
      // Over a stream, answer on the connection the request came in on; if it is gone, TCP may
      // open a new one to received:sent-by port (WebSocket cannot).
      if (flow.connection && !flow.connection.closed)
        return t.send(data, flow.remoteAddress, flow.remotePort, flow.connection);
      return t.send(data, via.received ?? via.host, via.port ?? 5060);
    }
    return t.send(data, ...udpResponseAddress(via, flow));
  }

  /** Builds and sends a stateless response (e.g. 400 or 503 before a transaction exists). */
  respondStateless(request: SipRequest, flow: Flow, status: number, reason?: string): Promise<void> {
    return this.sendResponse(createResponse(request, status, reason), flow);
  }

  async close(): Promise<void> {
    await Promise.all(this.transports.map((t) => t.close()));
    this.transports.length = 0;
  }
}

function udpResponseAddress(via: Via, flow: Flow): [string, number] {
  const host = via.received ?? (isIp(via.host) ? via.host : flow.remoteAddress);
  // RFC 3581 §4: with rport, answer the source port; otherwise the sent-by port (§18.2.2).
  const rport = via.rport;
  if (typeof rport === 'number' && rport > 0) return [host, rport];
  return [host, via.port ?? 5060];
}
