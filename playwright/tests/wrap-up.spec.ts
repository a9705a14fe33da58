import { expect, test } from '@playwright/test';
import { startCarrier } from './call-control-helpers';
import { screenshot } from './screenshots';
import type { SippProcess } from './support/carrier';
import { goIdle, hangUp, signIn } from './support/desk';
import { adminSession, createTestQueue } from './support/switch-setup';

const DID = '5550186';
const CALLER = '+12025550186';

test('wrap-up after a queue call: time left, a required disposition and a note, more time, Done; the code is in the CDR', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const admin = await adminSession(playwright, baseURL);
  const queue = await createTestQueue(admin, { did: DID, members: ['alice'] });
  let carrier: SippProcess | null = null;
  const codeIds: number[] = [];
  try {
    const wrapup = await admin.patch(`/api/admin/queues/${queue.queueId}`, { data: { wrapupS: 60 } });
    expect(wrapup.status(), await wrapup.text()).toBe(200);

    // The administrator adds a code for this queue and requires one, from the routing page.
    const adminPage = await signIn(browser, 'admin', { until: 'desk' });
    await adminPage.goto('/admin/routing');
    const card = adminPage
      .locator('section')
      .filter({ has: adminPage.getByRole('heading', { name: 'Wrap-up dispositions' }) });
    await card.getByLabel('New code').fill('Order placed');
    await card.getByLabel('For').selectOption({ label: queue.queueName });
    await card.getByRole('button', { name: 'Add' }).click();
    await expect(card.getByRole('list', { name: 'Disposition codes' })).toContainText('Order placed');
    await card.getByRole('checkbox', { name: queue.queueName }).click();
    await expect(card.getByRole('checkbox', { name: queue.queueName })).toBeChecked();
    await screenshot(adminPage, 'wrap-up-admin-dispositions');
    const settings = (await (await admin.get('/api/admin/dispositions')).json()) as {
      codes: { id: number; name: string; queueId: number | null }[];
    };
    codeIds.push(...settings.codes.filter((c) => c.queueId === queue.queueId).map((c) => c.id));
    await adminPage.context().close();

    // Generous waits: registering and answering take long on a loaded machine.
    const alice = await signIn(browser, 'alice', { until: 'desk' });
    await expect(alice.getByTestId('softphone-status')).toHaveText('Registered', { timeout: 60_000 });
    await goIdle(alice);
    carrier = await startCarrier(DID, queue.carrierPort, { caller: CALLER });
    const incoming = alice.getByRole('alertdialog', { name: 'Incoming call' });
    await expect(incoming).toContainText(CALLER, { timeout: 30_000 });
    await incoming.getByRole('button', { name: 'Answer' }).click();
    await expect(alice.getByRole('region', { name: 'Call in progress' })).toContainText('In call', {
      timeout: 30_000,
    });
    await hangUp(alice);
    expect(await carrier.exited, carrier.output).toBe(0);

    const bar = alice.getByRole('region', { name: 'Wrap-up' });
    await expect(bar).toBeVisible({ timeout: 10_000 });
    await expect(alice.getByTestId('agent-state')).toContainText('Wrap-up');
    await expect(bar.getByTestId('wrap-up-time-left')).toHaveText(/^[01]:\d\d left$/);
    // Required: Done waits for a code.
    const done = bar.getByRole('button', { name: 'Done' });
    await expect(done).toBeDisabled();
    const before = (await (await alice.request.get('/api/agents/me/wrapup')).json()).wrapUp.until as number;
    await bar.getByRole('button', { name: '+30 s' }).click();
    await expect
      .poll(async () => (await (await alice.request.get('/api/agents/me/wrapup')).json()).wrapUp.until)
      .toBeGreaterThanOrEqual(before + 30_000);
    await bar.getByLabel('Disposition (required)').selectOption({ label: 'Order placed' });
    await bar.getByLabel('Note').fill('Two boxes, express');
    await screenshot(alice, 'wrap-up-bar');
    await expect(done).toBeEnabled();
    // Alt+W is Done from anywhere on the desk (it saves the code and note first).
    await alice.keyboard.press('Alt+KeyW');
    await expect(bar).toBeHidden();
    await expect(alice.getByTestId('agent-state')).toContainText('Idle');

    // The code and the note are on the call's record, in the CDR search.
    await alice.goto('/cdr');
    const row = alice.getByTestId('recent-cdr-row').filter({ hasText: CALLER }).first();
    await expect(row.getByTestId('wrapup-code')).toHaveText('Order placed', { timeout: 30_000 });
    const cdr = await admin.get(`/api/cdr?wrapupCode=${encodeURIComponent('Order placed')}`);
    const records = (await cdr.json()).records as { customerNumber: string; wrapupNote: string }[];
    expect(records.some((r) => r.wrapupNote === 'Two boxes, express')).toBe(true);
  } finally {
    carrier?.kill();
    await admin.put(`/api/admin/dispositions/queues/${queue.queueId}`, { data: { required: false } });
    for (const id of codeIds)
      await admin.patch(`/api/admin/disposition-codes/${id}`, { data: { active: false } });
    await admin.patch(`/api/admin/queues/${queue.queueId}`, { data: { wrapupS: 0 } });
    await queue.cleanup();
    await admin.dispose();
  }
});
