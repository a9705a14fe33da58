import { afterEach, describe, expect, it } from 'vitest';
import { type SipRequest, type SipStack, StreamFramer } from '../src/index';
import { testStack } from './helpers';
import { respond, UdpPeer } from './udp-peer';

// Dialog behaviour against a scripted UDP peer. Short timers (T1 = 50 ms) keep these quick while
// exercising the same code paths as the defaults.
const timers = { T1: 50, T2: 400, T4: 500 };
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
async function setup(): Promise<{ stack: SipStack; peer: UdpPeer }> {
  const stack = await testStack({ timers });
  const peer = await UdpPeer.open();
  cleanup.push(
    () => stack.close(),
    () => peer.close(),
  );
  return { stack, peer };
}

describe('UAC dialogs', () => {
  it('a forked INVITE: early dialogs per tag, both 2xx ACKed, the extra fork gets BYE (§13.2.2.4)', async () => {
    const { stack, peer } = await setup();
    const call = stack.invite(
      stack.createRequest('INVITE', `sip:bob@127.0.0.1:${peer.port}`, { from: 'sip:alice@127.0.0.1' }),
    );
    const invite = await peer.request('INVITE');
    peer.send(respond(invite, peer, 180, 'Ringing', 'fork1'), stack.port);
    peer.send(respond(invite, peer, 180, 'Ringing', 'fork2'), stack.port);
    peer.send(respond(invite, peer, 200, 'OK', 'fork1'), stack.port);
    const { response, dialog } = await call.done;
    expect(response.to?.tag).toBe('fork1');
    expect(call.dialogs.size).toBe(2);
    peer.send(respond(invite, peer, 200, 'OK', 'fork2'), stack.port);
    const acks = [await peer.request('ACK'), await peer.request('ACK', 1)];
    expect(acks.map((a) => a.to?.tag).sort()).toEqual(['fork1', 'fork2']);
    // ACK for 2xx goes to the Contact of that fork, with a new branch and the INVITE's CSeq number.
    expect(acks[0]!.uri.toString()).toMatch(/^sip:peer-fork[12]@/);
    expect(acks[0]!.via?.branch).not.toBe(invite.via?.branch);
    expect(acks[0]!.cseq).toEqual({ seq: invite.cseq.seq, method: 'ACK' });
    const bye = await peer.request('BYE');
    expect(bye.to?.tag).toBe('fork2');
    expect(bye.uri.toString()).toContain('peer-fork2');
    peer.send(
      respond(bye, peer, 200, 'OK', 'fork2').replace(/;tag=fork2;tag=fork2/, ';tag=fork2'),
      stack.port,
    );
    expect(dialog?.state).toBe('confirmed');
  });

  it('re-sends the same ACK when the 2xx is retransmitted', async () => {
    const { stack, peer } = await setup();
    const call = stack.invite(
      stack.createRequest('INVITE', `sip:bob@127.0.0.1:${peer.port}`, { from: 'sip:alice@127.0.0.1' }),
    );
    const invite = await peer.request('INVITE');
    const p = peer.port;
    const ok = respond(
      invite,
      peer,
      200,
      'OK',
      'x1',
      `Record-Route: <sip:p1@127.0.0.1:${p};lr>, <sip:p2@127.0.0.1:${p};lr>\r\n`,
    );
    peer.send(ok, stack.port);
    const { dialog } = await call.done;
    // §12.1.2: the UAC route set is the Record-Route list reversed; the ACK follows it.
    expect(dialog!.routeSet.map((r) => r.uri.toString())).toEqual([
      `sip:p2@127.0.0.1:${p};lr`,
      `sip:p1@127.0.0.1:${p};lr`,
    ]);
    const first = await peer.request('ACK');
    expect(first.getAll('route')).toEqual([`<sip:p2@127.0.0.1:${p};lr>`, `<sip:p1@127.0.0.1:${p};lr>`]);
    peer.send(ok, stack.port);
    const second = await peer.request('ACK', 1);
    expect(second.via?.branch).toBe((await peer.request('ACK')).via?.branch);
  });
});

describe('UAS dialogs', () => {
  function invite(peer: UdpPeer, stack: SipStack, callId: string, cseq = 1, toTag = ''): string {
    return (
      `INVITE sip:bob@127.0.0.1:${stack.port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-${callId}-${cseq};rport\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=pa\r\nTo: <sip:bob@127.0.0.1>${toTag ? `;tag=${toTag}` : ''}\r\n` +
      `Call-ID: ${callId}\r\nCSeq: ${cseq} INVITE\r\nContact: <sip:alice@127.0.0.1:${peer.port}>\r\nContent-Length: 0\r\n\r\n`
    );
  }
  function ack(peer: UdpPeer, stack: SipStack, callId: string, toTag: string, cseq = 1): string {
    return (
      `ACK sip:bob@127.0.0.1:${stack.port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-ack-${callId}-${cseq}\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=pa\r\nTo: <sip:bob@127.0.0.1>;tag=${toTag}\r\n` +
      `Call-ID: ${callId}\r\nCSeq: ${cseq} ACK\r\nContent-Length: 0\r\n\r\n`
    );
  }

  it('retransmits the 2xx (T1, doubling) until the ACK arrives (§13.3.1.4)', async () => {
    const { stack, peer } = await setup();
    stack.onRequest = (inc) => inc.accept();
    peer.send(invite(peer, stack, 'c1'), stack.port);
    const ok = await peer.response(200);
    await peer.response(200, 2); // two retransmissions: after T1 and 2*T1
    const tag = ok.to!.tag!;
    const dialog = stack.findDialog('c1', tag, 'pa')!;
    expect(dialog.awaitingAck).toBe(true);
    const acked = dialog.waitForAck();
    peer.send(ack(peer, stack, 'c1', tag), stack.port);
    await acked;
    expect(dialog.awaitingAck).toBe(false);
    expect(dialog.state).toBe('confirmed');
  });

  it('an ACK reusing the INVITE branch (RFC 2543 style) still reaches the dialog (RFC 6026 §7.1)', async () => {
    const { stack, peer } = await setup();
    stack.onRequest = (inc) => inc.accept();
    peer.send(invite(peer, stack, 'c4'), stack.port);
    const tag = (await peer.response(200)).to!.tag!;
    const dialog = stack.findDialog('c4', tag, 'pa')!;
    const acked = dialog.waitForAck();
    peer.send(
      ack(peer, stack, 'c4', tag).replace('branch=z9hG4bK-ack-c4-1', 'branch=z9hG4bK-c4-1'),
      stack.port,
    );
    await acked;
    expect(dialog.awaitingAck).toBe(false);
  });

  it('without an ACK for 64*T1 the session ends with BYE', async () => {
    const { stack, peer } = await setup();
    stack.onRequest = (inc) => inc.accept();
    peer.send(invite(peer, stack, 'c2'), stack.port);
    const bye = await peer.request('BYE');
    expect(bye.callId).toBe('c2');
    expect(peer.count((m) => !m.isRequest)).toBeGreaterThanOrEqual(5);
  });

  it('CSeq rules: an in-dialog request with a lower CSeq gets 500; unknown dialogs get 481; re-INVITE refreshes the target', async () => {
    const { stack, peer } = await setup();
    let reinvites = 0;
    stack.onRequest = (inc) => {
      const d = inc.accept();
      d.onRequest = (r) => {
        reinvites++;
        r.reply(200);
      };
    };
    peer.send(invite(peer, stack, 'c3', 5), stack.port);
    const tag = (await peer.response(200)).to!.tag!;
    peer.send(ack(peer, stack, 'c3', tag, 5), stack.port);
    const d = stack.findDialog('c3', tag, 'pa')!;
    await d.waitForAck();
    peer.send(invite(peer, stack, 'c3', 4, tag), stack.port);
    expect((await peer.response(500)).reason).toBe('CSeq Out of Order');
    peer.send(invite(peer, stack, 'nope', 6, 'zz'), stack.port);
    await peer.response(481);
    peer.send(
      invite(peer, stack, 'c3', 6, tag).replace(/Contact: <sip:alice@/, 'Contact: <sip:moved@'),
      stack.port,
    );
    await peer.next(
      (m) => !m.isRequest && m.cseq.seq === 6 && (m as unknown as { status: number }).status === 200,
    );
    expect(reinvites).toBe(1);
    expect(d.remoteTarget.toString()).toContain('sip:moved@');
    expect(d.remoteSeq).toBe(6);
  });
});

describe('stream framing (RFC 3261 §18.3, RFC 5626 keep-alives)', () => {
  it('cuts messages by Content-Length across chunks and answers double-CRLF pings', () => {
    const f = new StreamFramer();
    const msg = 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 5\r\n\r\nhello';
    const events = [
      ...f.push(Buffer.from('\r\n\r\n' + msg.slice(0, 20))),
      ...f.push(Buffer.from(msg.slice(20) + '\r\n' + msg)),
    ];
    expect(events.map((e) => e.type)).toEqual(['ping', 'message', 'message']);
    expect(events[1]!.type === 'message' && events[1]!.data.toString()).toBe(msg);
    expect(f.buffered).toBe(0);
    expect(new StreamFramer(100).push(Buffer.from('x'.repeat(200)))[0]?.type).toBe('error');
  });
});

// Keep the type import used for readers of this file.
export type { SipRequest };
