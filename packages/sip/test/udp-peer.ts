import { createSocket, type Socket } from 'node:dgram';
import { parseMessage, type SipMessageAny, type SipRequest, type SipResponse } from '../src/index';

/** A scripted raw UDP peer for tests that need to misbehave (fork, withhold ACK, reorder). */
export class UdpPeer {
  readonly received: SipMessageAny[] = [];
  private waiters: Array<{ pred: (m: SipMessageAny) => boolean; resolve: (m: SipMessageAny) => void }> = [];
  private constructor(
    readonly socket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (data) => {
      const r = parseMessage(data);
      if (!r.ok) return;
      this.received.push(r.message);
      for (const w of [...this.waiters]) {
        if (w.pred(r.message)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(r.message);
        }
      }
    });
  }
  static async open(): Promise<UdpPeer> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    return new UdpPeer(s, s.address().port);
  }
  /** Resolves with the next message (already received ones count, in order) matching `pred`. */
  next(pred: (m: SipMessageAny) => boolean, skip = 0): Promise<SipMessageAny> {
    const matching = this.received.filter(pred);
    if (matching.length > skip) return Promise.resolve(matching[skip]!);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
  request(method: string, skip = 0): Promise<SipRequest> {
    return this.next((m) => m.isRequest && (m as SipRequest).method === method, skip) as Promise<SipRequest>;
  }
  response(status: number, skip = 0): Promise<SipResponse> {
    return this.next(
      (m) => !m.isRequest && (m as SipResponse).status === status,
      skip,
    ) as Promise<SipResponse>;
  }
  count(pred: (m: SipMessageAny) => boolean): number {
    return this.received.filter(pred).length;
  }
  send(text: string, port: number): void {
    this.socket.send(text, port, '127.0.0.1');
  }
  close(): void {
    this.socket.close();
  }
}

/** A response to `req` as a UAS would write it, with To tag and Contact on this peer. */
export function respond(
  req: SipRequest,
  peer: UdpPeer,
  status: number,
  reason: string,
  toTag: string,
  extra = '',
): string {
  const vias = req
    .getAll('via')
    .map((v) => `Via: ${v}\r\n`)
    .join('');
  return (
    `SIP/2.0 ${status} ${reason}\r\n${vias}From: ${req.get('from')}\r\nTo: ${req.get('to')};tag=${toTag}\r\n` +
    `Call-ID: ${req.callId}\r\nCSeq: ${req.get('cseq')}\r\nContact: <sip:peer-${toTag}@127.0.0.1:${peer.port}>\r\n${extra}Content-Length: 0\r\n\r\n`
  );
}
