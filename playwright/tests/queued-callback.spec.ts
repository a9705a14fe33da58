import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { freeMediaPorts, type SippProcess, startSipp } from '@switchboard/test-support';
import { carrierScenarioXml } from '../../apps/server/test/sipp/carrier-scenario';
import { sipPort } from '../playwright.config';
import { screenshot } from './screenshots';
import { signIn } from './support/desk';
import { adminSession, createTestQueue } from './support/switch-setup';

const CALLER = '+12025550199';

/**
 * A carrier caller who waits for the callback offer, presses 1 (call me back) and 1 (at this
 * number) as SIP INFO, and is then released by the switch.
 */
function callerTakingTheOffer(): string {
  const xml = carrierScenarioXml({ caller: CALLER, displayName: 'Callback Caller' });
  const from = /From: [^\n]*/.exec(xml)![0];
  const info = (cseq: number) => `
  <send><![CDATA[
      INFO [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      ${from}
      [last_To:]
      Call-ID: [call_id]
      CSeq: ${cseq} INFO
      Contact: <sip:carrier@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/dtmf-relay
      Content-Length: [len]

      Signal=1
      Duration=160
    ]]></send>
  <recv response="200" />`;
  // The offer follows the first announcement, 3 s after the queue answers.
  const keys = `<pause milliseconds="8000" />${info(2)}${info(3)}\n  <recv request="BYE" />`;
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-vhold-')), 'caller-takes-offer.xml');
  writeFileSync(out, xml.replace('<recv request="BYE" />', keys));
  return out;
}

test('queued callback: a caller who presses 1 keeps their place as a callback placeholder on the desk', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const admin = await adminSession(playwright, baseURL);
  const queue = await createTestQueue(admin, { did: '5550135', members: ['alice'] });
  let caller: SippProcess | null = null;
  const pages: Page[] = [];
  try {
    const settings = await admin.patch(`/api/admin/queues/${queue.queueId}`, {
      data: {
        virtualHold: {
          enabled: true,
          thresholdS: 0,
          mode: 'customer_first',
          maxAttempts: 1,
          retryDelayS: 60,
        },
      },
    });
    expect(settings.status(), await settings.text()).toBe(200);
    const alice = await signIn(browser, 'alice', { until: 'desk' });
    pages.push(alice);
    // Alice is paused in this queue only (the pause goes with the membership at clean-up).
    const state = await (await alice.request.get('/api/agents/me/state')).json();
    const paused = await alice.request.put('/api/agents/me/state', {
      data: { status: 'paused', reason: state.pauseReasons[0], queueIds: [queue.queueId] },
    });
    expect(paused.status(), await paused.text()).toBe(200);
    const list = alice.getByTestId(`waiting-queue-${queue.queueName}`);
    await expect(list.getByText('No calls waiting.')).toBeVisible({ timeout: 20_000 });

    caller = await startSipp({
      scenario: callerTakingTheOffer(),
      transport: 'udp',
      remote: `127.0.0.1:${sipPort}`,
      port: queue.carrierPort,
      timeoutMs: 60_000,
      args: [
        '-s',
        queue.did,
        '-mi',
        '127.0.0.1',
        '-mp',
        String(await freeMediaPorts()),
        '-rtp_echo',
        '-m',
        '1',
        '-trace_err',
      ],
    });
    // First the caller on the line, then — once they pressed 1, 1 and were released — their placeholder.
    await expect(list.getByTestId('waiting-caller')).toHaveText(CALLER, { timeout: 15_000 });
    await expect(list.getByTestId('waiting-callback')).toHaveText('Callback', { timeout: 30_000 });
    expect(await caller.exited).toBe(0);
    await expect(list.getByTestId('waiting-call')).toHaveCount(1);
    await expect(list.getByTestId('waiting-call')).toHaveAttribute('aria-label', /callback placeholder/);
    await expect(list.getByTestId('waiting-position')).toHaveText('Next');
    await screenshot(alice, 'queued-callback-placeholder');

    // A supervisor takes the placeholder out (after a confirmation): nobody will call them back.
    const sam = await signIn(browser, 'sam', { until: 'desk' });
    pages.push(sam);
    const samList = sam.getByTestId(`waiting-queue-${queue.queueName}`);
    await expect(samList.getByTestId('waiting-callback')).toHaveText('Callback', { timeout: 20_000 });
    await expect(list.getByRole('button', { name: /Remove the callback for/ })).toHaveCount(0);
    await samList.getByRole('button', { name: /Remove the callback for/ }).click();
    await screenshot(sam, 'queued-callback-remove');
    await samList.getByRole('button', { name: 'Remove callback' }).click();
    await expect(samList.getByText('No calls waiting.')).toBeVisible();
    // The agent's desk follows live.
    await expect(list.getByText('No calls waiting.')).toBeVisible();
    const waiting = await (await admin.get(`/api/queues/${queue.queueId}/waiting`)).json();
    expect(waiting.calls).toEqual([]);
  } finally {
    caller?.kill();
    for (const p of pages) await p.context().close();
    await queue.cleanup();
    await admin.dispose();
  }
});
