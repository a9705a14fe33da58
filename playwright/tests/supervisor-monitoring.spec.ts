import { expect, test } from '@playwright/test';
import { expectAudioArriving, startCarrier } from './call-control-helpers';
import { screenshot } from './screenshots';
import { freePort, type SippProcess } from './support/carrier';
import { answer, goIdle, hangUp, signIn } from './support/desk';
import { adminSession, carrierRoute } from './support/switch-setup';

/**
 * A supervisor listens to an agent's call from the Agents page: sam's browser softphone (sip.js in
 * Chromium) is rung, answers, and receives the call's audio (getStats); then whisper on the same call
 * leg, the agent's indicator, leaving; and the wallboard, normal, full screen and on a wall screen.
 */
const DID = '5550186';
const CALLER = '+12025550186';

test('sam listens to alice’s call from the Agents page, whispers, leaves; the wallboard shows the queues', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const admin = await adminSession(playwright, baseURL);
  const carrierPort = await freePort();
  // Straight to alice's extension: she is in sales, which sam supervises.
  const route = await carrierRoute(admin, carrierPort, DID, { targetType: 'extension', targetId: '1001' });
  let carrier: SippProcess | null = null;
  const contexts: Array<{ close(): Promise<void> }> = [];
  try {
    const alice = await signIn(browser, 'alice', { capturePeerConnections: true });
    contexts.push(alice.context());
    await goIdle(alice);
    carrier = await startCarrier(DID, carrierPort, { caller: CALLER });
    await answer(alice, CALLER);
    await expectAudioArriving(alice, 'customer → alice');

    const sam = await signIn(browser, 'sam', { capturePeerConnections: true });
    contexts.push(sam.context());
    await sam.getByRole('link', { name: 'Agents' }).click();
    const row = sam.getByTestId('agent-row').filter({ hasText: 'Alice' });
    const buttons = row.getByTestId('monitor-buttons');
    await buttons.getByRole('button', { name: 'Listen' }).click();
    await answer(sam);
    await expectAudioArriving(sam, 'the call → sam listening');
    await expect(alice.getByTestId('monitor-indicator')).toHaveCount(0);
    await expect(buttons.getByRole('button', { name: 'Listen' })).toHaveAttribute('aria-pressed', 'true');
    await screenshot(sam, 'supervisor-agents-listening');

    // Whisper on the same leg: no new ringing, sam keeps hearing the call.
    await buttons.getByRole('button', { name: 'Whisper' }).click();
    await expect(buttons.getByRole('button', { name: 'Whisper' })).toHaveAttribute('aria-pressed', 'true');
    await expect(sam.getByRole('alertdialog', { name: 'Incoming call' })).toHaveCount(0);
    await expectAudioArriving(sam, 'whispering sam still hears the call');
    // Alice is told discreetly that sam can be heard (never while he only listened).
    await expect(alice.getByTestId('monitor-indicator')).toHaveText('Sam is coaching you');
    await screenshot(alice, 'agent-coached');
    await expect(sam.getByTestId('monitor-indicator')).toHaveCount(0);

    await buttons.getByRole('button', { name: 'Leave' }).click();
    await expect(buttons.getByRole('button', { name: 'Leave' })).toHaveCount(0);
    await expect(alice.getByTestId('monitor-indicator')).toHaveCount(0);
    await expectAudioArriving(alice, 'alice still hears the customer after sam left');

    await sam.getByRole('link', { name: 'Wallboard' }).click();
    const overall = sam.getByRole('region', { name: 'All queues' });
    await expect(overall.getByTestId('wallboard-tile').first()).toBeVisible();
    await expect(sam.getByRole('region', { name: 'Queue sales' })).toBeVisible();
    await screenshot(sam, 'supervisor-wallboard');
    await sam.getByRole('button', { name: 'Full screen (TV)' }).click();
    await expect(sam).toHaveURL(/tv=1/);
    await screenshot(sam, 'supervisor-wallboard-tv');
    await sam.getByRole('button', { name: 'Exit full screen' }).click();

    // The page for a wall screen: its own tab, wallboard events only, no desk around it.
    const displayStream = sam
      .context()
      .waitForEvent('request', (r) => r.url().includes('/api/events?types=wallboard'));
    const [display] = await Promise.all([
      sam.context().waitForEvent('page'),
      sam.getByRole('link', { name: 'Open for a wall screen' }).click(),
    ]);
    await displayStream;
    await expect(display.getByRole('heading', { name: 'Wallboard' })).toBeVisible();
    await expect(display.getByRole('region', { name: 'Queue sales' })).toBeVisible();
    await expect(display.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
    await screenshot(display, 'wallboard-display');
    await display.close();

    // The Queues page lists the call too (it reached alice directly), with the same buttons.
    await sam.getByRole('link', { name: 'Queues', exact: true }).click();
    const callRow = sam.getByTestId('queue-call-row').filter({ hasText: 'Alice' });
    await expect(callRow).toContainText('Direct');
    await expect(callRow.getByRole('button', { name: 'Listen' })).toBeVisible();
    await screenshot(sam, 'supervisor-queues-calls');

    await hangUp(alice);
    expect(await carrier.exited, carrier.output).toBe(0);

    // Signed out of her queues from the Agents page: alice's desk says Offline.
    await sam.getByRole('link', { name: 'Agents', exact: true }).click();
    await row.getByRole('button', { name: 'Sign out' }).click();
    await expect(alice.getByTestId('agent-state')).toContainText('Offline');
  } finally {
    carrier?.kill();
    for (const c of contexts) await c.close();
    await route.remove();
    await admin.dispose();
  }
});
