import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { carrierInvite } from '../../apps/server/test/sipp/carrier-invite';
import { sipPort } from '../playwright.config';

const DID = '5550111';

/** A 127.0.0.1 port free for TCP (sipp also binds UDP on it; collisions there are unlikely). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** The carrier: calls the DID with PCMA, plays speech once answered, hangs up after `talkMs`. */
function carrierScenario(talkMs: number): string {
  const from = 'From: "Carrier" <sip:+12025550177@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]';
  const inDialog = (method: string, cseq: number) => `
  <send${method === 'BYE' ? ' retrans="500"' : ''}><![CDATA[
      ${method} [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      ${from}
      [last_To:]
      Call-ID: [call_id]
      CSeq: ${cseq} ${method}
      Contact: <sip:carrier@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>`;
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="carrier calls ${DID}">
  ${carrierInvite(from)}
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="183" optional="true" />
  <recv response="200" rrs="true" />${inDialog('ACK', 1)}
  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap" /></action></nop>
  <pause milliseconds="${talkMs}" />${inDialog('BYE', 2)}
  <recv response="200" />
</scenario>`;
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-carrier-')), 'carrier.xml');
  writeFileSync(file, xml);
  return file;
}

function startCarrier(port: number, mediaPort: number, talkMs: number) {
  const child = spawn(
    '/usr/bin/sipp',
    [
      `127.0.0.1:${sipPort}`,
      '-sf',
      carrierScenario(talkMs),
      '-s',
      DID,
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(mediaPort),
      '-m',
      '1',
      '-t',
      'u1',
      '-nostdin',
      '-timeout',
      '40s',
      '-timeout_error',
      '-trace_err',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output.slice(-4000) };
}

/** Audio RTP stats of every RTCPeerConnection the page made (captured by the init script). */
function rtpStats(page: Page) {
  return page.evaluate(async () => {
    type Entry = {
      type: string;
      kind?: string;
      packetsReceived?: number;
      packetsSent?: number;
      totalAudioEnergy?: number;
    };
    type Pc = { getStats(): Promise<{ forEach(cb: (s: Entry) => void): void }> };
    const pcs = (globalThis as unknown as { __pcs: Pc[] }).__pcs;
    let received = 0;
    let sent = 0;
    let energy = 0;
    for (const pc of pcs) {
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          received += s.packetsReceived ?? 0;
          energy += s.totalAudioEnergy ?? 0;
        }
        if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.packetsSent ?? 0;
      });
    }
    return { pcs: pcs.length, received, sent, energy };
  });
}

test('alice answers a carrier call in the browser: WebRTC audio both ways through the switch', async ({
  page,
  playwright,
  baseURL,
}) => {
  // The carrier (sipp) as a trunk, and a DID routed to alice's web extension 1001.
  const carrierPort = await freePort();
  const admin = await playwright.request.newContext({ baseURL });
  expect((await admin.post('/api/auth/login', { data: { username: 'admin', password: 'admin' } })).ok()).toBe(
    true,
  );
  const trunk = await admin.post('/api/admin/trunks', {
    data: { name: `e2e-sipp-${carrierPort}`, uri: `sip:127.0.0.1:${carrierPort}` },
  });
  expect(trunk.status(), await trunk.text()).toBe(201);
  const route = await admin.post('/api/admin/inbound-routes', {
    data: { number: DID, targetType: 'extension', targetId: '1001' },
  });
  expect(route.status(), await route.text()).toBe(201);
  const trunkId = (await trunk.json()).id as number;
  const routeId = (await route.json()).id as number;
  let carrier: ReturnType<typeof startCarrier> | null = null;
  try {
    await page.addInitScript(() => {
      type Ctor = new (...args: unknown[]) => object;
      const g = globalThis as unknown as { __pcs: object[]; RTCPeerConnection: Ctor };
      g.__pcs = [];
      const Native = g.RTCPeerConnection;
      g.RTCPeerConnection = class extends Native {
        constructor(...args: unknown[]) {
          super(...args);
          g.__pcs.push(this);
        }
      };
    });
    await page.goto('/login');
    await page.getByLabel('Agent name or agent ID').fill('alice');
    await page.getByLabel('Password').fill('alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('softphone-status')).toHaveText('Registered', { timeout: 15_000 });

    carrier = startCarrier(carrierPort, await freePort(), 5000);
    const incoming = page.getByRole('alertdialog', { name: 'Incoming call' });
    await expect(incoming).toBeVisible({ timeout: 10_000 });
    await expect(incoming).toContainText('+12025550177');
    await incoming.getByRole('button', { name: 'Answer' }).click();
    const inCall = page.getByRole('region', { name: 'Call in progress' });
    await expect(inCall).toContainText('In call', { timeout: 10_000 });

    // The carrier's speech reaches the browser, and the fake microphone's audio goes out.
    await expect.poll(async () => (await rtpStats(page)).received, { timeout: 4000 }).toBeGreaterThan(50);
    const stats = await rtpStats(page);
    expect(stats.sent).toBeGreaterThan(50);
    expect(stats.energy).toBeGreaterThan(0);

    // The carrier hangs up; the page shows the call ended.
    expect(await carrier.exited, carrier.output()).toBe(0);
    await expect(page.getByRole('region', { name: 'Call ended' })).toBeVisible({ timeout: 5000 });
  } finally {
    if (carrier && carrier.child.exitCode === null) carrier.child.kill('SIGKILL');
    await admin.delete(`/api/admin/inbound-routes/${routeId}`);
    await admin.delete(`/api/admin/trunks/${trunkId}`);
    await admin.dispose();
  }
});
