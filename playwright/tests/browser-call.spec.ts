import { expect, type Page, test } from '@playwright/test';
import { freePort, type SippProcess, startCarrier } from './support/carrier';
import { answer, capturePeerConnections, expectRegistered, logIn } from './support/desk';
import { adminSession, carrierRoute } from './support/switch-setup';

const DID = '5550111';

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
  const admin = await adminSession(playwright, baseURL);
  const route = await carrierRoute(admin, carrierPort, DID, { targetType: 'extension', targetId: '1001' });
  let carrier: SippProcess | null = null;
  try {
    await capturePeerConnections(page);
    await logIn(page, 'alice');
    await expectRegistered(page);

    // The carrier plays speech once answered and hangs up after 5 s.
    carrier = await startCarrier(
      { did: DID, port: carrierPort, timeoutMs: 40_000 },
      { caller: '+12025550177', displayName: 'Carrier', speech: 'once', hangUpAfterMs: 5000 },
    );
    await answer(page, '+12025550177');

    // The carrier's speech reaches the browser, and the fake microphone's audio goes out.
    await expect.poll(async () => (await rtpStats(page)).received, { timeout: 4000 }).toBeGreaterThan(50);
    const stats = await rtpStats(page);
    expect(stats.sent).toBeGreaterThan(50);
    expect(stats.energy).toBeGreaterThan(0);

    // The carrier hangs up; the page shows the call ended.
    expect(await carrier.exited, carrier.output).toBe(0);
    await expect(page.getByRole('region', { name: 'Call ended' })).toBeVisible({ timeout: 5000 });
  } finally {
    carrier?.kill();
    await route.remove();
    await admin.dispose();
  }
});
