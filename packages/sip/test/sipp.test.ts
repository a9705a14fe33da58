import { join } from 'node:path';
import { freePort, runSipp, type SippProcess, tcpReady } from '@switchboard/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createOffer, type SipStack } from '../src/index';
import { runTestUas } from './apps/test-uas';
import { testStack } from './helpers';

// Real-peer tests: sipp (Debian sip-tester) on 127.0.0.1, each on ports picked free at run time.
const stacks: SipStack[] = [];
const sipps: SippProcess[] = [];
afterEach(async () => {
  for (const s of sipps.splice(0)) s.kill();
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

async function stack(): Promise<SipStack> {
  const s = await testStack({ userAgent: 'switchboard-test' });
  stacks.push(s);
  return s;
}

describe('sipp as UAC against a UAS on the stack', () => {
  // Under loss, sipp's built-in uac can take a retransmitted 200 (INVITE) for the 200 to its BYE;
  // the scenario in the repo matches responses to their transactions instead.
  const txnUac = ['-sf', join(import.meta.dirname, 'scenarios/uac-txn.xml')];
  const cases: Array<[string, string[], number]> = [
    ['UDP', ['-sn', 'uac'], 10],
    ['TCP', ['-sn', 'uac', '-t', 't1'], 10],
    ['UDP with 10% packet loss', [...txnUac, '-lost', '10'], 20],
  ];
  for (const [name, extra, calls] of cases) {
    it(`INVITE/180/200/ACK/BYE over ${name}: all ${calls} calls succeed`, async () => {
      const uas = await stack();
      const stats = runTestUas(uas);
      const port = await freePort();
      const sipp = runSipp(
        [
          `127.0.0.1:${uas.port}`,
          '-i',
          '127.0.0.1',
          '-p',
          String(port),
          '-m',
          String(calls),
          '-r',
          '20',
          ...extra,
        ],
        { timeoutMs: 40_000 },
      );
      sipps.push(sipp);
      const code = await sipp.exited;
      expect(code, sipp.output.slice(-3000)).toBe(0);
      expect({ calls: stats.calls, byes: stats.byes }, sipp.output.slice(-3000)).toEqual({
        calls,
        byes: calls,
      });
    }, 60_000);
  }
});

describe('the stack as UAC against sipp', () => {
  for (const [name, transport, extra] of [
    ['UDP', 'UDP', []],
    ['TCP', 'TCP', ['-t', 't1']],
  ] as const) {
    it(`calls sipp -sn uas over ${name} and hangs up`, async () => {
      const uac = await stack();
      const port = await freePort();
      const sipp = runSipp(['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port), '-m', '1', ...extra], {
        timeoutMs: 20_000,
      });
      sipps.push(sipp);
      if (transport === 'TCP') await tcpReady(port);
      const uri = `sip:service@127.0.0.1:${port}${transport === 'TCP' ? ';transport=tcp' : ''}`;
      const invite = uac.createRequest('INVITE', uri, {
        from: 'sip:agent@127.0.0.1',
        transport,
        body: createOffer({ address: '127.0.0.1', port: 20010 }),
        contentType: 'application/sdp',
      });
      const { response, dialog } = await uac.invite(invite).done;
      expect(response.status).toBe(200);
      const bye = await dialog!.bye();
      expect(bye.status).toBe(200);
      expect(await sipp.exited, sipp.output.slice(-3000)).toBe(0);
    }, 30_000);
  }

  it('answers a digest-challenging carrier (401, then 200) written as a sipp scenario', async () => {
    const uac = await stack();
    const port = await freePort();
    const sipp = runSipp(
      [
        '-sf',
        join(import.meta.dirname, 'scenarios/carrier-digest-uas.xml'),
        '-i',
        '127.0.0.1',
        '-p',
        String(port),
        '-m',
        '1',
      ],
      { timeoutMs: 20_000 },
    );
    sipps.push(sipp);
    const invite = uac.createRequest('INVITE', `sip:+15551230000@127.0.0.1:${port}`, {
      from: 'sip:carrier@127.0.0.1',
      body: createOffer({ address: '127.0.0.1', port: 20012 }),
      contentType: 'application/sdp',
    });
    const statuses: number[] = [];
    const call = uac.invite(invite, {
      credentials: { username: 'carrier', password: 's3cret' },
      onProgress: (r) => statuses.push(r.status),
    });
    const { response, dialog } = await call.done;
    expect(response.status).toBe(200);
    expect(call.request.get('authorization')).toMatch(/^Digest username="carrier", realm="carrier.example"/);
    expect(statuses).toContain(180);
    expect((await dialog!.bye()).status).toBe(200);
    expect(await sipp.exited, sipp.output.slice(-3000)).toBe(0);
  }, 30_000);
});
