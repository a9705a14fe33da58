import { expect, type Page, test } from '@playwright/test';
import { expectAudioArriving, startCarrier } from './call-control-helpers';
import { screenshot } from './screenshots';
import type { SippProcess } from './support/carrier';
import { goIdle, hangUp, signIn } from './support/desk';
import { adminSession, createTestQueue } from './support/switch-setup';

const DID = '5550187';
const CALLER = '+12025550187';

/** Signed in, registered and Idle; the waits are generous for a loaded machine. */
async function readyAgent(browser: Parameters<typeof signIn>[0], username: string): Promise<Page> {
  const page = await signIn(browser, username, { until: 'desk', capturePeerConnections: true });
  await expect(page.getByTestId('softphone-status')).toHaveText('Registered', { timeout: 60_000 });
  await goIdle(page);
  return page;
}

async function answerCall(page: Page): Promise<void> {
  const incoming = page.getByRole('alertdialog', { name: 'Incoming call' });
  await expect(incoming).toContainText(CALLER, { timeout: 30_000 });
  await incoming.getByRole('button', { name: 'Answer' }).click();
  await expect(page.getByRole('region', { name: 'Call in progress' })).toContainText('In call', {
    timeout: 30_000,
  });
}

test('blind transfer of a queue call to another agent: the customer window pops at the receiver while their phone rings, with the caller and no error', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const admin = await adminSession(playwright, baseURL);
  // Only alice is in the queue: bob gets the call by her transfer, not from the queue.
  const queue = await createTestQueue(admin, { did: DID, members: ['alice'], ringTimeoutS: 60 });
  let carrier: SippProcess | null = null;
  const contexts: Array<{ close(): Promise<void> }> = [];
  try {
    const alice = await readyAgent(browser, 'alice');
    contexts.push(alice.context());
    const bob = await readyAgent(browser, 'bob');
    contexts.push(bob.context());

    carrier = await startCarrier(DID, queue.carrierPort, { caller: CALLER });
    await answerCall(alice);

    const bobsWindow = bob.context().waitForEvent('page', { timeout: 30_000 });
    await alice
      .getByRole('region', { name: 'Current call' })
      .getByRole('button', { name: 'Transfer' })
      .click();
    const dialog = alice.getByRole('dialog', { name: 'Transfer the call' });
    const radio = dialog.getByRole('group', { name: 'Others' }).getByRole('radio', { name: /Bob/ });
    await expect(radio).toBeEnabled();
    await radio.check();
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    await expect(alice.getByRole('region', { name: 'Call ended' })).toBeVisible({ timeout: 30_000 });

    // Bob's phone rings and his customer window opens.
    const incoming = bob.getByRole('alertdialog', { name: 'Incoming call' });
    await expect(incoming).toContainText(CALLER, { timeout: 30_000 });
    // The window opened before bob answered (the ring is short on a loaded machine, so he answers
    // first and the window is read after).
    const win = await bobsWindow;
    expect(new URL(win.url()).pathname).toBe('/desk/customer-window');
    await answerCall(bob);
    await expect(win.getByTestId('customer-window-caller')).toHaveText(CALLER, { timeout: 30_000 });
    await expectAudioArriving(bob, 'customer → bob');
    await expect(win.getByText('is not one you took')).toHaveCount(0);
    await expect(win.getByRole('alert')).toHaveCount(0);
    await screenshot(win, 'transfer-screen-pop-receiver');
    await hangUp(bob);
    expect(await carrier.exited, carrier.output).toBe(0);
  } finally {
    carrier?.kill();
    for (const c of contexts) await c.close();
    await queue.cleanup();
    await admin.dispose();
  }
});
