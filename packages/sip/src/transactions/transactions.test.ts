import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createResponse } from '../messages/builders';
import type { SipMessageAny, SipRequest, SipResponse } from '../messages/message';
import { parseMessage } from '../messages/parser';
import type { InviteClientTransaction } from './invite-client-transaction';
import { InviteServerTransaction } from './invite-server-transaction';
import type { NonInviteClientTransaction } from './non-invite-client-transaction';
import { NonInviteServerTransaction } from './non-invite-server-transaction';
import type { TransactionChannel } from './transaction';
import { TransactionLayer } from './transaction-layer';

function req(method: string, branch = 'z9hG4bKtest1', extra = ''): SipRequest {
  const text =
    `${method} sip:bob@example.com SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 192.0.2.1:5060;branch=${branch}\r\n` +
    'Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n' +
    `Call-ID: call-1@example.com\r\nCSeq: 1 ${method}\r\nRoute: <sip:proxy.example.com;lr>\r\n${extra}Content-Length: 0\r\n\r\n`;
  const r = parseMessage(text);
  if (!r.ok) throw new Error(r.error.reason);
  return r.message as SipRequest;
}

class FakeChannel implements TransactionChannel {
  sent: SipMessageAny[] = [];
  constructor(readonly reliable = false) {}
  send(m: SipMessageAny): void {
    this.sent.push(m);
  }
  count(pred: (m: SipMessageAny) => boolean): number {
    return this.sent.filter(pred).length;
  }
}
const isReq = (method: string) => (m: SipMessageAny) => m.isRequest && (m as SipRequest).method === method;
const isStatus = (status: number) => (m: SipMessageAny) =>
  !m.isRequest && (m as SipResponse).status === status;

let layer: TransactionLayer;
beforeEach(() => {
  vi.useFakeTimers();
  layer = new TransactionLayer();
});
afterEach(() => {
  layer.clear();
  vi.useRealTimers();
});

describe('INVITE client transaction', () => {
  it('Timer A retransmits the INVITE at T1, 2T1, 4T1... on UDP only', () => {
    const ch = new FakeChannel();
    layer.createClient(req('INVITE'), ch, { onResponse() {} });
    expect(ch.count(isReq('INVITE'))).toBe(1);
    vi.advanceTimersByTime(500);
    expect(ch.count(isReq('INVITE'))).toBe(2);
    vi.advanceTimersByTime(1000);
    expect(ch.count(isReq('INVITE'))).toBe(3);
    vi.advanceTimersByTime(2000);
    expect(ch.count(isReq('INVITE'))).toBe(4);
    const tcp = new FakeChannel(true);
    layer.createClient(req('INVITE', 'z9hG4bKtcp'), tcp, { onResponse() {} });
    vi.advanceTimersByTime(10_000);
    expect(tcp.count(isReq('INVITE'))).toBe(1);
  });

  it('Timer B times out after 64*T1 without a response', () => {
    const onTimeout = vi.fn();
    const tx = layer.createClient(req('INVITE'), new FakeChannel(), { onResponse() {}, onTimeout });
    vi.advanceTimersByTime(31_999);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onTimeout).toHaveBeenCalledOnce();
    expect(tx.state).toBe('terminated');
  });

  it('Timer D: ACKs a non-2xx, absorbs and re-ACKs retransmissions for 32 s', () => {
    const ch = new FakeChannel();
    const invite = req('INVITE');
    const onResponse = vi.fn();
    const tx = layer.createClient(invite, ch, { onResponse }) as InviteClientTransaction;
    const busy = createResponse(invite, 486);
    layer.matchResponse(busy)?.receiveResponse(busy as never);
    expect(tx.state).toBe('completed');
    const ack = ch.sent.find(isReq('ACK')) as SipRequest;
    // §17.1.1.3: same branch, CSeq number, Request-URI and Route as the INVITE; To from the response.
    expect(ack.via?.branch).toBe('z9hG4bKtest1');
    expect(ack.cseq).toEqual({ seq: 1, method: 'ACK' });
    expect(ack.to?.tag).toBe(busy.to?.tag);
    expect(ack.get('route')).toBe('<sip:proxy.example.com;lr>');
    tx.receiveResponse(busy);
    expect(ch.count(isReq('ACK'))).toBe(2);
    expect(onResponse).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(31_999);
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(1);
    expect(tx.state).toBe('terminated');
  });

  it('passes 2xx and its retransmissions to the TU (RFC 6026 Accepted)', () => {
    const invite = req('INVITE');
    const onResponse = vi.fn();
    const tx = layer.createClient(invite, new FakeChannel(), { onResponse });
    const ok = createResponse(invite, 200);
    tx.receiveResponse(ok as never);
    tx.receiveResponse(ok as never);
    expect(onResponse).toHaveBeenCalledTimes(2);
    expect(tx.state).toBe('accepted');
  });
});

describe('non-INVITE client transaction', () => {
  it('Timer E retransmits doubling up to T2, then every T2 once proceeding', () => {
    const ch = new FakeChannel();
    const r = req('OPTIONS');
    const tx = layer.createClient(r, ch, { onResponse() {} }) as NonInviteClientTransaction;
    vi.advanceTimersByTime(500 + 1000 + 2000 + 4000 + 4000);
    expect(ch.count(isReq('OPTIONS'))).toBe(6);
    tx.receiveResponse(createResponse(r, 100));
    vi.advanceTimersByTime(4000);
    expect(ch.count(isReq('OPTIONS'))).toBe(7);
  });

  it('Timer F times out after 64*T1', () => {
    const onTimeout = vi.fn();
    layer.createClient(req('OPTIONS'), new FakeChannel(), { onResponse() {}, onTimeout });
    vi.advanceTimersByTime(32_000);
    expect(onTimeout).toHaveBeenCalledOnce();
  });

  it('Timer K lingers T4 on UDP (0 on TCP) and absorbs response retransmissions', () => {
    const r = req('OPTIONS');
    const onResponse = vi.fn();
    const tx = layer.createClient(r, new FakeChannel(), { onResponse });
    const ok = createResponse(r, 200);
    tx.receiveResponse(ok as never);
    tx.receiveResponse(ok as never);
    expect(onResponse).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(4999);
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(1);
    expect(tx.state).toBe('terminated');
    const tcpTx = layer.createClient(req('OPTIONS', 'z9hG4bKtcp'), new FakeChannel(true), {
      onResponse() {},
    });
    tcpTx.receiveResponse(createResponse(r, 200) as never);
    vi.advanceTimersByTime(0);
    expect(tcpTx.state).toBe('terminated');
  });
});

describe('INVITE server transaction', () => {
  it('sends 100 Trying when the TU is slower than 200 ms, not when it is fast', () => {
    const ch = new FakeChannel();
    const tx = layer.createServer(req('INVITE'), ch) as InviteServerTransaction;
    tx.start();
    vi.advanceTimersByTime(199);
    expect(ch.sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(ch.count(isStatus(100))).toBe(1);
    const fast = new FakeChannel();
    const r2 = req('INVITE', 'z9hG4bKfast');
    const tx2 = layer.createServer(r2, fast) as InviteServerTransaction;
    tx2.start();
    tx2.respond(createResponse(r2, 180));
    vi.advanceTimersByTime(1000);
    expect(fast.count(isStatus(100))).toBe(0);
  });

  it('absorbs INVITE retransmissions and answers them with the last provisional', () => {
    const ch = new FakeChannel();
    const invite = req('INVITE');
    const tx = layer.createServer(invite, ch) as InviteServerTransaction;
    tx.respond(createResponse(invite, 180));
    const again = req('INVITE');
    expect(layer.findServer(again)).toBe(tx);
    layer.findServer(again)?.receiveRequest(again);
    expect(ch.count(isStatus(180))).toBe(2);
  });

  it('Timer G retransmits a failure response doubling up to T2 until ACK', () => {
    const ch = new FakeChannel();
    const invite = req('INVITE');
    const tx = layer.createServer(invite, ch) as InviteServerTransaction;
    tx.respond(createResponse(invite, 486));
    vi.advanceTimersByTime(500 + 1000 + 2000 + 4000 + 4000);
    expect(ch.count(isStatus(486))).toBe(6);
    const ack = req('ACK');
    expect(layer.findServer(ack)).toBe(tx);
    tx.receiveRequest(ack);
    expect(tx.state).toBe('confirmed');
    vi.advanceTimersByTime(4000);
    expect(ch.count(isStatus(486))).toBe(6);
  });

  it('Timer H gives up waiting for the ACK after 64*T1', () => {
    const invite = req('INVITE');
    const tx = layer.createServer(invite, new FakeChannel()) as InviteServerTransaction;
    const onTimeout = vi.fn();
    tx.onTimeout = onTimeout;
    tx.respond(createResponse(invite, 486));
    vi.advanceTimersByTime(32_000);
    expect(onTimeout).toHaveBeenCalledOnce();
    expect(tx.state).toBe('terminated');
  });

  it('Timer I absorbs ACK retransmissions for T4 after confirmation', () => {
    const invite = req('INVITE');
    const tx = layer.createServer(invite, new FakeChannel()) as InviteServerTransaction;
    tx.respond(createResponse(invite, 486));
    tx.receiveRequest(req('ACK'));
    vi.advanceTimersByTime(4999);
    expect(tx.state).toBe('confirmed');
    expect(layer.findServer(req('ACK'))).toBe(tx);
    vi.advanceTimersByTime(1);
    expect(tx.state).toBe('terminated');
    expect(layer.findServer(req('ACK'))).toBeUndefined();
  });

  it('matches a CANCEL to its INVITE (§9.2)', () => {
    const invite = req('INVITE');
    const tx = layer.createServer(invite, new FakeChannel()) as InviteServerTransaction;
    const onCancel = vi.fn();
    tx.onCancel = onCancel;
    const cancel = req('CANCEL');
    expect(layer.findServer(cancel)).toBeUndefined();
    const found = layer.findInviteForCancel(cancel);
    expect(found).toBe(tx);
    found?.cancel(cancel);
    expect(onCancel).toHaveBeenCalledOnce();
    expect(layer.findInviteForCancel(req('CANCEL', 'z9hG4bKother'))).toBeUndefined();
  });
});

describe('non-INVITE server transaction', () => {
  it('Timer J answers retransmissions with the final response for 64*T1', () => {
    const ch = new FakeChannel();
    const r = req('OPTIONS');
    const tx = layer.createServer(r, ch) as NonInviteServerTransaction;
    const again = req('OPTIONS');
    layer.findServer(again)?.receiveRequest(again);
    expect(ch.sent).toHaveLength(0); // Trying: absorbed silently
    tx.respond(createResponse(r, 200));
    layer.findServer(again)?.receiveRequest(again);
    expect(ch.count(isStatus(200))).toBe(2);
    vi.advanceTimersByTime(31_999);
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(1);
    expect(tx.state).toBe('terminated');
    expect(layer.findServer(again)).toBeUndefined();
  });
});

describe('RFC 2543 transaction matching', () => {
  it('badbranch.dat (RFC 4475 §3.2.1): a retransmission with a cookie-only branch matches its transaction', () => {
    const data = readFileSync(join(import.meta.dirname, '../../test/rfc4475/badbranch.dat'));
    const parse = () => {
      const r = parseMessage(data);
      if (!r.ok) throw new Error(r.error.reason);
      return r.message as SipRequest;
    };
    const first = parse();
    expect(first.via?.branch).toBe('z9hG4bK');
    const ch = new FakeChannel();
    const tx = layer.createServer(first, ch);
    expect(tx).toBeInstanceOf(NonInviteServerTransaction);
    tx.respond(createResponse(first, 200));
    const retransmission = parse();
    expect(layer.findServer(retransmission)).toBe(tx);
    layer.findServer(retransmission)?.receiveRequest(retransmission);
    expect(ch.count(isStatus(200))).toBe(2);
    // A different request from the same source is a different transaction.
    const other = parseMessage(data.toString().replace('CSeq: 8 OPTIONS', 'CSeq: 9 OPTIONS'));
    expect(other.ok && layer.findServer(other.message as SipRequest)).toBeUndefined();
  });

  it('an RFC 2543 ACK (no branch) matches the INVITE transaction it acknowledges', () => {
    const invite = req('INVITE', 'old2543');
    const tx = layer.createServer(invite, new FakeChannel()) as InviteServerTransaction;
    const res = createResponse(invite, 404);
    tx.respond(res);
    const ack = req('ACK', 'old2543');
    ack.set('to', res.to!);
    expect(layer.findServer(ack)).toBe(tx);
    expect(tx).toBeInstanceOf(InviteServerTransaction);
  });
});
