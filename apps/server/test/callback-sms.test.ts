import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SipStack } from '@switchboard/sip';
import { expect, it } from 'vitest';
import { SMS_HELP, smsSignature } from '../src/callback-services/sms-callback';
import { demoSubscriberId } from './callback-peers';
import { deferrer } from './defer';
import { trunksTo } from './script-peers';
import { startSipp } from './sip-agents';
import { describeEachDatabase, loggedInAs } from './test-system';

const SECRET = 'a-shared-secret-of-the-gateway';

describeEachDatabase('SMS callback', (sys) => {
  let serviceId = 0;
  const webhook = async (msg: { from: string; text: string; to?: string }, secret = SECRET) => {
    const raw = JSON.stringify({ to: '5550111', ...msg });
    const res = await fetch(`${sys().url}/api/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': `sha256=${smsSignature(secret, raw)}` },
      body: raw,
    });
    return { status: res.status, body: (await res.json()) as { reply?: string } };
  };
  const requests = () =>
    sys()
      .db.selectFrom('callback_requests')
      .select(['source', 'caller_number', 'callback_number', 'destination', 'status', 'reason'])
      .where('service_id', '=', serviceId)
      .orderBy('id')
      .execute();

  it('sets up a service with an SMS secret (a long delay: nothing is dialled here)', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const created = await admin.post('/api/admin/callback-services', {
      name: 'sms',
      accessNumber: '5550111',
      delayS: 600,
      subscriberId: await demoSubscriberId(sys()),
      smsSecret: SECRET,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.hasSmsSecret).toBe(true);
    expect(created.text).not.toContain(SECRET);
    serviceId = created.body.id;
  });

  it('refuses a bad signature with 401 and does nothing', async () => {
    const res = await webhook({ from: '+14155550132', text: 'CALL' }, 'not-the-secret-at-all');
    expect(res.status).toBe(401);
    const unsigned = await fetch(`${sys().url}/api/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+14155550132', to: '5550111', text: 'CALL' }),
    });
    expect(unsigned.status).toBe(401);
    expect(await requests()).toEqual([]);
  });

  it('answers HELP, unknown commands and BAL; an unknown sender may only REG', async () => {
    expect((await webhook({ from: '+14155550132', text: 'help' })).body.reply).toBe(SMS_HELP);
    expect((await webhook({ from: '+14155550132', text: 'dance' })).body.reply).toBe(SMS_HELP);
    expect((await webhook({ from: '+14155550132', text: 'bal' })).body.reply).toBe(
      'Your balance is 20.00 USD.',
    );
    expect((await webhook({ from: '+14155550144', text: 'BAL' })).body.reply).toMatch(/not registered/);
    expect((await webhook({ from: '+14155550144', text: 'CALL' })).body.reply).toMatch(/not registered/);
    expect((await webhook({ from: '+14155550144', text: 'REG 9999' })).body.reply).toBe('Wrong PIN.');
    expect((await webhook({ from: '+14155550144', text: 'REG 1234' })).body.reply).toMatch(/registered/);
    expect((await webhook({ from: '+14155550144', text: 'BAL' })).body.reply).toBe(
      'Your balance is 20.00 USD.',
    );
    expect(await requests()).toEqual([]);
  });

  it('CALL, CALL <number> and CONNECT <n1> <n2> order call backs; malformed ones dial nothing', async () => {
    expect((await webhook({ from: '+14155550132', text: 'CALL abc' })).body.reply).toBe(
      'Not a phone number: abc',
    );
    expect((await webhook({ from: '+14155550132', text: 'CONNECT +14155550150' })).body.reply).toMatch(
      /Usage/,
    );
    expect(await requests()).toEqual([]);
    expect((await webhook({ from: '+14155550132', text: 'CALL' })).body.reply).toBe(
      'Calling +14155550132 back in 600 s.',
    );
    expect((await webhook({ from: '+14155550132', text: 'call +442079460958' })).body.reply).toMatch(
      /Calling/,
    );
    expect(
      (await webhook({ from: '+14155550132', text: 'CONNECT +14155550150 +14153829175' })).body.reply,
    ).toBe('Calling +14155550150 back in 600 s.');
    expect(await requests()).toEqual([
      {
        source: 'sms',
        caller_number: '+14155550132',
        callback_number: '+14155550132',
        destination: null,
        status: 'scheduled',
        reason: null,
      },
      {
        source: 'sms',
        caller_number: '+14155550132',
        callback_number: '+14155550132',
        destination: '+442079460958',
        status: 'scheduled',
        reason: null,
      },
      {
        source: 'sms',
        caller_number: '+14155550132',
        callback_number: '+14155550150',
        destination: '+14153829175',
        status: 'scheduled',
        reason: null,
      },
    ]);
  });

  it('the portal shows the subscriber the SMS number, the commands, and their SMS requests with outcomes', async () => {
    const portal = sys().client();
    const login = await portal.post('/api/portal/auth/login', {
      phoneNumber: '18005550100',
      password: 'demo',
    });
    expect(login.status, login.text).toBe(200);
    const res = await portal.get('/api/portal/sms-callback');
    expect(res.status, res.text).toBe(200);
    expect(res.body.services).toContainEqual({ name: 'sms', number: '5550111', balanceQuery: true });
    // The same commands as the HELP reply, in its order.
    const usages = res.body.commands.map((c: { usage: string }) => c.usage);
    expect(usages).toEqual(['CALL', 'CALL <number>', 'CONNECT <n1> <n2>', 'REG <PIN>', 'BAL', 'HELP']);
    for (const u of usages) expect(SMS_HELP).toContain(u);
    // The three requests above, newest first, with what came of them.
    expect(
      res.body.requests.map((r: { callbackNumber: string; destination: string | null; status: string }) => [
        r.callbackNumber,
        r.destination,
        r.status,
      ]),
    ).toEqual([
      ['+14155550150', '+14153829175', 'scheduled'],
      ['+14155550132', '+442079460958', 'scheduled'],
      ['+14155550132', null, 'scheduled'],
    ]);
    // Staff sessions and anonymous callers get nothing.
    const admin = await loggedInAs(sys(), 'admin');
    expect((await admin.get('/api/portal/sms-callback')).status).toBe(401);
    expect((await sys().client().get('/api/portal/sms-callback')).status).toBe(401);
  });

  it('takes SIP MESSAGE from the trunk (sipp) and replies by MESSAGE through the trunk', async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    // The trunk points at a SIP stack that takes the replies; sipp sends from the same address.
    const replies: Array<{ to: string; from: string; text: string }> = [];
    const gateway = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'] });
    defer(() => gateway.close());
    gateway.onRequest = (inc) => {
      const r = inc.request;
      if (inc.method === 'MESSAGE')
        replies.push({
          to: r.uri.type === 'sip' ? (r.uri.user ?? '') : '',
          from: r.from?.uri.type === 'sip' ? (r.from.uri.user ?? '') : '',
          text: r.bodyText,
        });
      inc.reply(200);
    };
    await trunksTo(sys(), [{ port: gateway.port }]);
    const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="sms">
  <send retrans="500"><![CDATA[
      MESSAGE sip:5550111@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:+14155550132@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]
      To: <sip:5550111@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 MESSAGE
      Max-Forwards: 70
      Content-Type: text/plain
      Content-Length: [len]

BAL]]></send>
  <recv response="200" />
</scenario>`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-sms-'));
    const file = path.join(dir, 'sms.xml');
    writeFileSync(file, xml);
    const sipp = await startSipp({
      scenario: file,
      transport: 'udp',
      remote: `127.0.0.1:${sys().sipPort}`,
      timeoutMs: 10_000,
      args: ['-m', '1', '-trace_err'],
    });
    defer(() => {
      sipp.kill();
      return sipp.exited;
    });
    expect(await sipp.exited, sipp.output).toBe(0);
    await expect
      .poll(() => replies, { timeout: 5000 })
      .toEqual([{ to: '+14155550132', from: '5550111', text: 'Your balance is 20.00 USD.' }]);
  });
});
