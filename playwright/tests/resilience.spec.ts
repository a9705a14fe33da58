import { expect, type Page, test, type WebSocketRoute } from '@playwright/test';
import { freePort, type SippProcess, startCarrier } from './support/carrier';
import { answer, capturePeerConnections, expectRegistered, hangUp, logIn } from './support/desk';
import { adminSession, carrierRoute } from './support/switch-setup';

const DID = '5550112';

/** Inbound audio of the page's peer connections (captured by the init script, per page load). */
function inboundAudio(page: Page) {
  return page.evaluate(async () => {
    type Entry = { type: string; kind?: string; packetsReceived?: number; bytesReceived?: number };
    type Pc = { getStats(): Promise<{ forEach(cb: (s: Entry) => void): void }> };
    let packets = 0;
    let bytes = 0;
    for (const pc of (globalThis as unknown as { __pcs: Pc[] }).__pcs) {
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          packets += s.packetsReceived ?? 0;
          bytes += s.bytesReceived ?? 0;
        }
      });
    }
    return { packets, bytes };
  });
}

/** The call timer's mm:ss (or h:mm:ss) in seconds. */
async function timerSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('call-timer').textContent()) ?? '';
  return text
    .trim()
    .split(':')
    .reduce((s, part) => s * 60 + Number(part), 0);
}

test('a call survives the page reload and a WebSocket drop: it comes back by itself, audio flows again', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const carrierPort = await freePort();
  const admin = await adminSession(playwright, baseURL);
  const route = await carrierRoute(admin, carrierPort, DID, { targetType: 'extension', targetId: '1001' });
  let carrier: SippProcess | null = null;
  try {
    await capturePeerConnections(page);
    // The softphone's WebSocket goes through Playwright, so the test can cut it from the switch's side.
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/sip(\?.*)?$/, (ws) => {
      sockets.push(ws.connectToServer());
    });

    await logIn(page, 'alice');
    const pill = page.getByTestId('softphone-status');
    await expectRegistered(page);

    // The carrier echoes the RTP it gets: what alice's fake microphone sends comes back to her, so
    // her inbound audio grows only while the whole path works. It stays until the switch's BYE.
    carrier = await startCarrier(
      { did: DID, port: carrierPort, rtpEcho: true },
      { caller: '+12025550188', displayName: 'Carrier' },
    );
    await answer(page);
    const incoming = page.getByRole('alertdialog', { name: 'Incoming call' });
    const inCall = page.getByRole('region', { name: 'Call in progress' });
    const answeredAt = Date.now();
    await expect.poll(async () => (await inboundAudio(page)).packets, { timeout: 5000 }).toBeGreaterThan(50);

    // (a) The agent reloads the page mid-call: no BYE leaves the page; the switch keeps the customer
    // on hold music and calls the new page back, which answers by itself.
    await page.reload();
    await expect(pill).toHaveText('Registered', { timeout: 15_000 });
    await expect(inCall).toContainText('In call', { timeout: 15_000 });
    await expect(incoming).toHaveCount(0);
    await expect(inCall).toContainText('+12025550188');
    // The timer goes on from the call's start, not from the reconnection.
    expect(await timerSeconds(page)).toBeGreaterThanOrEqual(Math.floor((Date.now() - answeredAt) / 1000) - 2);
    await expect.poll(async () => (await inboundAudio(page)).bytes, { timeout: 8000 }).toBeGreaterThan(8000);
    expect(carrier.exitCode, carrier.output).toBeNull();

    // (b) The WebSocket is cut (from the switch's side): the pill shows the reconnection, then
    // Registered; the call never stops and audio keeps flowing over the same peer connection.
    await page.evaluate(() => {
      // No DOM types in this package: the few browser APIs used are described here.
      type El = { textContent: string | null };
      const g = globalThis as unknown as {
        __pill: string[];
        document: { body: object; querySelector(s: string): El | null };
        MutationObserver: new (cb: () => void) => { observe(target: object, options: object): void };
      };
      const seen: string[] = [];
      g.__pill = seen;
      const read = () => {
        const text = g.document.querySelector('[data-testid="softphone-status"]')?.textContent ?? '';
        if (seen.at(-1) !== text) seen.push(text);
      };
      new g.MutationObserver(read).observe(g.document.body, {
        subtree: true,
        childList: true,
        characterData: true,
      });
      read();
    });
    const before = await inboundAudio(page);
    const current = sockets.at(-1);
    if (!current) throw new Error('no routed softphone WebSocket');
    await current.close({ code: 4001, reason: 'network drop' });
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as { __pill: string[] }).__pill.length), {
        timeout: 10_000,
      })
      .toBeGreaterThan(2);
    await expect(pill).toHaveText('Registered', { timeout: 15_000 });
    const history = await page.evaluate(() => (globalThis as unknown as { __pill: string[] }).__pill);
    expect(history[0]).toBe('Registered');
    expect(history.slice(1, -1), history.join(' → ')).toContain('Reconnecting…');
    expect(history.at(-1)).toBe('Registered');
    await expect(inCall).toContainText('In call');
    await expect
      .poll(async () => (await inboundAudio(page)).bytes - before.bytes, { timeout: 8000 })
      .toBeGreaterThan(8000);
    expect((await inboundAudio(page)).packets).toBeGreaterThan(before.packets);
    expect(carrier.exitCode, carrier.output).toBeNull();

    // Hanging up after the reconnection works: the carrier gets the BYE.
    await hangUp(page);
    expect(await carrier.exited, carrier.output).toBe(0);
    await expect(page.getByRole('region', { name: 'Call ended' })).toBeVisible({ timeout: 5000 });
  } finally {
    carrier?.kill();
    await route.remove();
    await admin.dispose();
  }
});
