import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DigestServer,
  type IncomingRequest,
  parseMessage,
  type SipResponse,
  type SipStack,
} from '../src/index';
import { once, testStack } from './helpers';

const stacks: SipStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});
async function pair() {
  const a = await testStack({ userAgent: 'A' });
  const b = await testStack({ userAgent: 'B' });
  stacks.push(a, b);
  return { a, b };
}

describe('SipStack end to end on 127.0.0.1', () => {
  for (const transport of ['UDP', 'TCP'] as const) {
    it(`INVITE / 180 / 200 / ACK / BYE over ${transport}`, async () => {
      const { a, b } = await pair();
      const answered = once<IncomingRequest>((fn) => {
        b.onRequest = fn;
      });
      const uri = `sip:bob@127.0.0.1:${b.port}${transport === 'TCP' ? ';transport=tcp' : ''}`;
      const invite = a.createRequest('INVITE', uri, {
        from: 'sip:alice@127.0.0.1',
        transport,
        body: 'v=0\r\n',
        contentType: 'application/sdp',
      });
      const progress: number[] = [];
      const call = a.invite(invite, { onProgress: (r) => progress.push(r.status) });
      const incoming = await answered;
      expect(incoming.method).toBe('INVITE');
      incoming.progress(180);
      const uas = incoming.accept({ body: 'v=0\r\n', contentType: 'application/sdp' });
      const { response, dialog } = await call.done;
      expect(response.status).toBe(200);
      expect(progress).toContain(180);
      await uas.waitForAck();
      expect(dialog?.state).toBe('confirmed');
      const ended = uas.terminated();
      const bye = await dialog!.bye();
      expect(bye.status).toBe(200);
      expect(await ended).toBe('bye received');
      expect(a.dialogs.size).toBe(0);
      expect(b.dialogs.size).toBe(0);
      if (transport === 'TCP') {
        // One connection carried the whole call in both directions.
        expect(a.transport.get('TCP')!.connectionCount()).toBe(1);
        expect(b.transport.get('TCP')!.connectionCount()).toBe(1);
      }
    });
  }

  it('answers a 401 once with credentials, and gives up on a second challenge', async () => {
    const { a, b } = await pair();
    const digest = new DigestServer({ realm: 'b.example' });
    let attempts = 0;
    b.onRequest = async (inc) => {
      attempts++;
      const result = await digest.verify(inc.request, (u) =>
        u === 'alice' ? { password: 'pw' } : undefined,
      );
      inc.send(result.ok ? inc.createResponse(200) : digest.rejection(inc.request, result));
    };
    const req = () =>
      a.createRequest('MESSAGE', `sip:bob@127.0.0.1:${b.port}`, { from: 'sip:alice@127.0.0.1' });
    expect((await a.send(req(), { credentials: { username: 'alice', password: 'pw' } })).status).toBe(200);
    expect(attempts).toBe(2);
    expect((await a.send(req(), { credentials: { username: 'alice', password: 'wrong' } })).status).toBe(401);
    expect(attempts).toBe(4);
  });

  it('a request to a transport that is not enabled fails as 503, without throwing', async () => {
    const { a } = await pair();
    const inv = a.invite(
      a.createRequest('INVITE', 'sip:bob@127.0.0.1:9;transport=ws', { from: 'sip:alice@127.0.0.1' }),
    );
    expect((await inv.done).response.status).toBe(503);
  });

  it('CANCEL before answer gets 487 on the INVITE', async () => {
    const { a, b } = await pair();
    const cancelled = once<IncomingRequest>((fn) => {
      b.onRequest = (inc) => {
        inc.progress(180);
        inc.onCancel = () => fn(inc);
      };
    });
    const call = a.invite(
      a.createRequest('INVITE', `sip:bob@127.0.0.1:${b.port}`, { from: 'sip:alice@127.0.0.1' }),
      {
        onProgress: () => call.cancel(),
      },
    );
    const { response } = await call.done;
    expect(response.status).toBe(487);
    const inc = await cancelled;
    expect(inc.cancelled).toBe(true);
    // A slow app answering after the CANCEL gets a terminated dialog and sends nothing.
    const late = inc.accept();
    expect(late.state).toBe('terminated');
    expect(late.awaitingAck).toBe(false);
    expect(b.dialogs.size).toBe(0);
  });

  it('in-dialog INFO, UPDATE, re-INVITE and REFER/NOTIFY', async () => {
    const { a, b } = await pair();
    const seen: string[] = [];
    b.onRequest = (inc) => {
      const d = inc.accept();
      d.onRequest = (r) => {
        seen.push(r.method);
        if (r.method === 'REFER') {
          r.reply(202);
          void d.notifyReferProgress(200, 'OK');
        } else r.reply(200, r.method === 'INVITE' ? { body: 'v=0\r\n', contentType: 'application/sdp' } : {});
      };
    };
    const call = a.invite(
      a.createRequest('INVITE', `sip:bob@127.0.0.1:${b.port}`, { from: 'sip:alice@127.0.0.1' }),
    );
    const { dialog } = await call.done;
    const notified = once<IncomingRequest>((fn) => {
      dialog!.onRequest = (r) => {
        r.reply(200);
        fn(r);
      };
    });
    expect((await dialog!.info('Signal=5\r\nDuration=160\r\n', 'application/dtmf-relay')).status).toBe(200);
    expect((await dialog!.update()).status).toBe(200);
    expect((await dialog!.reinvite('v=0\r\n')).status).toBe(200);
    expect((await dialog!.refer(a.contact().uri)).status).toBe(202);
    const notify = await notified;
    expect(notify.request.get('event')).toBe('refer');
    expect(notify.request.bodyText).toBe('SIP/2.0 200 OK\r\n');
    expect(seen).toEqual(['INFO', 'UPDATE', 'INVITE', 'REFER']);
    await dialog!.bye();
  });

  it('INVITE with Replaces finds the dialog it replaces (RFC 3891)', async () => {
    const { a, b } = await pair();
    let replaced: unknown;
    b.onRequest = (inc) => {
      replaced = inc.replaces;
      inc.accept();
    };
    const first = await a.invite(
      a.createRequest('INVITE', `sip:bob@127.0.0.1:${b.port}`, { from: 'sip:alice@127.0.0.1' }),
    ).done;
    const d = first.dialog!;
    const bDialog = [...b.dialogs.values()][0];
    const second = a.createRequest('INVITE', `sip:bob@127.0.0.1:${b.port}`, {
      from: 'sip:carol@127.0.0.1',
      headers: [['Replaces', `${d.callId};to-tag=${d.remoteTag};from-tag=${d.localTag}`]],
    });
    const r2 = await a.invite(second).done;
    expect(r2.response.status).toBe(200);
    expect(replaced).toBe(bDialog);
    const bad = a.createRequest('INVITE', `sip:bob@127.0.0.1:${b.port}`, {
      from: 'sip:carol@127.0.0.1',
      headers: [['Replaces', 'nope;to-tag=1;from-tag=2']],
    });
    expect((await a.invite(bad).done).response.status).toBe(481);
  });

  it('a request larger than 1300 bytes moves from UDP to TCP (§18.1.1)', async () => {
    const { a, b } = await pair();
    const got = once<IncomingRequest>((fn) => {
      b.onRequest = (inc) => {
        inc.reply(200);
        fn(inc);
      };
    });
    const req = a.createRequest('MESSAGE', `sip:bob@127.0.0.1:${b.port}`, {
      from: 'sip:alice@127.0.0.1',
      body: 'x'.repeat(2000),
      contentType: 'text/plain',
    });
    const res = await a.send(req);
    expect(res.status).toBe(200);
    expect((await got).flow.transport).toBe('TCP');
  });

  it('answers a malformed datagram with 400 and keeps running', async () => {
    const { b } = await pair();
    b.onRequest = (inc) => inc.reply(200);
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const replies: SipResponse[] = [];
    const got = new Promise<void>((resolve) => {
      sock.on('message', (m) => {
        const p = parseMessage(m);
        if (p.ok) replies.push(p.message as SipResponse);
        if (replies.length === 2) resolve();
      });
    });
    const port = sock.address().port;
    const base = (cseq: string) =>
      `OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-${cseq.replace(/\W/g, '')}\r\n` +
      `From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: x1\r\nCSeq: ${cseq}\r\nContent-Length: 0\r\n\r\n`;
    sock.send(base('1 INVITE'), b.port, '127.0.0.1');
    sock.send(base('2 OPTIONS'), b.port, '127.0.0.1');
    await got;
    sock.close();
    expect(replies.map((r) => r.status).sort()).toEqual([200, 400]);
  });
});
