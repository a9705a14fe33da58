import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import {
  carrierCaller,
  expectAudioArriving,
  MediaPeer,
  registerDeskPhone,
  startCarrier,
  startDeskPhone,
} from './call-control-helpers';
import { screenshot } from './screenshots';
import { freeMediaPorts, freePort, type SippProcess } from './support/carrier';
import { answer, goIdle, hangUp, signIn } from './support/desk';
import { adminSession, carrierRoute } from './support/switch-setup';

/**
 * The consult and transfer set with one agent in headless Chromium (docs/agent-desk.md, "Consult"
 * and "Transfer"): a customer (sipp carrier) calls alice's web extension; alice
 * consults, conferences and transfers to supervisor sam (web extension 2001, another context).
 */
const DID = '5550177';

test.describe.configure({ mode: 'serial' });

let admin: APIRequestContext;
let route: { remove(): Promise<void> };
let carrierPort: number;
let alice: Page;
let sam: Page;
let carrier: SippProcess | null = null;

test.beforeAll(async ({ playwright, browser, baseURL }) => {
  admin = await adminSession(playwright, baseURL);
  // sam consults and takes calls in the browser: his extension must be a web extension.
  const { users } = (await (await admin.get('/api/admin/users')).json()) as {
    users: Array<{ id: number; username: string; extension: { number: string; type: string } | null }>;
  };
  const samUser = users.find((u) => u.username === 'sam');
  expect(samUser?.extension?.number).toBe('2001');
  if (samUser && samUser.extension?.type !== 'web') {
    const res = await admin.patch(`/api/admin/users/${samUser.id}/extension`, { data: { type: 'web' } });
    expect(res.status(), await res.text()).toBe(200);
  }

  carrierPort = await freePort();
  route = await carrierRoute(admin, carrierPort, DID, { targetType: 'extension', targetId: '1001' });
  alice = await signIn(browser, 'alice', { capturePeerConnections: true });
  sam = await signIn(browser, 'sam', { capturePeerConnections: true });
  await goIdle(alice);
  await goIdle(sam);
});

test.afterEach(async () => {
  carrier?.kill();
  carrier = null;
});

test.afterAll(async () => {
  await alice?.context().close();
  await sam?.context().close();
  await route?.remove();
  await admin?.dispose();
});

/** The customer calls; alice answers and sees the call in the current-call panel. */
async function customerCallsAlice() {
  carrier = await startCarrier(DID, carrierPort);
  await answer(alice, carrierCaller);
  const panel = alice.getByRole('region', { name: 'Current call' });
  await expect(panel.getByTestId('current-call-party')).toHaveText(carrierCaller);
  await expect(panel.getByTestId('current-call-state')).toHaveText('Connected');
  return panel;
}

/** The customer's call ended cleanly: the switch sent BYE and sipp exited 0 (never dropped earlier). */
async function expectCustomerHungUpByDesk() {
  const c = carrier;
  if (!c) throw new Error('no carrier');
  expect(await c.exited, c.output).toBe(0);
}

test('consult sam, conference the three of them, then complete the transfer: sam stays with the customer', async () => {
  test.setTimeout(90_000);
  // No lookups of a call that has moved on (they could only answer 404).
  const stale: string[] = [];
  const onResponse = (r: import('@playwright/test').Response) => {
    if (r.url().includes('/transfer-targets') && r.status() === 404) stale.push(r.url());
  };
  alice.on('response', onResponse);
  const panel = await customerCallsAlice();
  await expectAudioArriving(alice, 'customer → alice');
  await screenshot(alice, 'call-control-call-in-progress');

  await panel.getByRole('button', { name: 'Consult' }).click();
  const dialog = alice.getByRole('dialog', { name: 'Consult' });
  await expect(dialog.getByRole('list', { name: 'Supervisors' })).toContainText('Available');
  await screenshot(alice, 'call-control-consult-dialog');
  // Keyboard: focus lands on the first supervisor who can take the consult.
  await expect(dialog.getByRole('button', { name: 'Call Sam' })).toBeFocused();
  await alice.keyboard.press('Enter');

  // Ringing: Transfer and Conference wait for sam, with the reason; going back is possible.
  const status = dialog.getByRole('status').first();
  await expect(status).toContainText('Calling Sam');
  const transfer = dialog.getByRole('button', { name: 'Transfer' });
  const conference = dialog.getByRole('button', { name: 'Conference' });
  await expect(transfer).toBeDisabled();
  await expect(transfer).toHaveAccessibleDescription(/has not answered yet/);
  await expect(conference).toBeDisabled();
  await expect(dialog.getByRole('button', { name: 'Back to customer' })).toBeEnabled();
  await expect(panel.getByTestId('current-call-state')).toHaveText('Calling Sam');
  await screenshot(alice, 'call-control-consult-ringing');

  await answer(sam);
  await expect(status).toContainText('You are talking to Sam');
  // sam, the consulted supervisor, also receives the consult's events: his desk stays his own.
  const samPanel = sam.getByRole('region', { name: 'Current call' });
  await expect(samPanel.getByTestId('current-call-state')).toHaveText('Connected');
  await expect(transfer).toBeEnabled();
  await expectAudioArriving(sam, 'alice → sam (consult)');
  // The consult's controls do not lock the page: the call bar's Mute still works beside them.
  const bar = alice.getByRole('region', { name: 'Call in progress' });
  await bar.getByRole('button', { name: 'Mute' }).click({ timeout: 5000 });
  await expect(bar.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
  await bar.getByRole('button', { name: 'Unmute' }).click({ timeout: 5000 });
  await expect(bar.getByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'false');

  await conference.click();
  await expect(status).toContainText('Conference: you, the customer and Sam');
  await expect(conference).toBeDisabled();
  await expect(dialog.getByRole('button', { name: 'Back to customer' })).toBeDisabled();
  await expect(panel.getByTestId('current-call-state')).toHaveText('Conference with Sam');
  await expect(bar.getByRole('button', { name: 'Hang up' })).toBeEnabled();
  await bar.getByRole('button', { name: 'Mute' }).click({ timeout: 5000 });
  await expect(bar.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
  await bar.getByRole('button', { name: 'Unmute' }).click({ timeout: 5000 });
  await screenshot(alice, 'call-control-conference');
  // All three hear each other: both browsers receive audio, and the customer is still on the line.
  await expectAudioArriving(alice, 'conference → alice');
  await expectAudioArriving(sam, 'conference → sam');
  expect(carrier?.exitCode, carrier?.output).toBeNull();

  await transfer.click();
  await expect(alice.getByTestId('call-control-notice')).toHaveText('Call transferred to Sam.');
  await expect(alice.getByRole('region', { name: 'Call ended' })).toBeVisible();
  await expect(panel).toBeHidden();

  // sam now has the customer alone.
  await expect(samPanel.getByTestId('current-call-party')).toHaveText(carrierCaller);
  await expectAudioArriving(sam, 'customer → sam');
  expect(carrier?.exitCode).toBeNull();
  await hangUp(sam);
  await expectCustomerHungUpByDesk();
  await expect(samPanel).toBeHidden();
  await expect(sam.getByTestId('call-control-notice')).toHaveCount(0);
  alice.off('response', onResponse);
  expect(stale).toEqual([]);
});

test('consult with no answer: sam declines and alice is back with the customer', async () => {
  test.setTimeout(90_000);
  const panel = await customerCallsAlice();
  await panel.getByRole('button', { name: 'Consult' }).click();
  const dialog = alice.getByRole('dialog', { name: 'Consult' });
  await dialog.getByRole('button', { name: 'Call Sam' }).click();
  await expect(dialog.getByRole('status').first()).toContainText('Calling Sam');

  const incoming = sam.getByRole('alertdialog', { name: 'Incoming call' });
  await incoming.getByRole('button', { name: 'Decline' }).click();

  await expect(dialog.getByRole('status').first()).toHaveText(
    'Sam declined the call. You are back with the customer.',
  );
  await expect(panel.getByTestId('current-call-state')).toHaveText('Connected');
  await expectAudioArriving(alice, 'customer → alice after the failed consult');
  // sam can be called again from the same dialog.
  await expect(dialog.getByRole('button', { name: 'Call Sam' })).toBeEnabled();
  await screenshot(alice, 'call-control-consult-declined');
  await dialog.getByRole('button', { name: 'Close' }).last().click();

  expect(carrier?.exitCode).toBeNull();
  await hangUp(alice);
  await expectCustomerHungUpByDesk();
});

test('consult answered, then Back to customer: sam leaves and alice talks to the customer again', async () => {
  test.setTimeout(90_000);
  const panel = await customerCallsAlice();
  await panel.getByRole('button', { name: 'Consult' }).click();
  const dialog = alice.getByRole('dialog', { name: 'Consult' });
  await dialog.getByRole('button', { name: 'Call Sam' }).click();
  await answer(sam);
  const status = dialog.getByRole('status').first();
  await expect(status).toContainText('You are talking to Sam');
  await expect(panel.getByTestId('current-call-state')).toHaveText('Consulting Sam');

  await dialog.getByRole('button', { name: 'Back to customer' }).click();
  await expect(status).toHaveText('The consult with Sam ended. You are back with the customer.');
  await expect(panel.getByTestId('current-call-state')).toHaveText('Connected');
  await expect(sam.getByRole('region', { name: 'Call ended' })).toBeVisible();
  await expectAudioArriving(alice, 'customer → alice after going back');
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(dialog).toBeHidden();

  expect(carrier?.exitCode).toBeNull();
  await hangUp(alice);
  await expectCustomerHungUpByDesk();
});

test('blind transfer to sam from the transfer dialog; a bad outside number is refused', async () => {
  test.setTimeout(90_000);
  const panel = await customerCallsAlice();
  await panel.getByRole('button', { name: 'Transfer' }).click();
  const dialog = alice.getByRole('dialog', { name: 'Transfer the call' });
  for (const group of ['Supervisors', "This queue's agents", 'Others', 'Queues', 'Outside number'])
    await expect(dialog.getByRole('group', { name: group })).toBeVisible();
  // bob is not signed in: listed, not selectable, with the reason.
  // Keyboard: focus lands on the first destination that can be picked (Admin is offline).
  await expect(dialog.getByRole('radio', { name: /Sam/ })).toBeFocused();
  const bob = dialog.getByRole('radio', { name: /Bob/ });
  await expect(bob).toBeDisabled();
  await expect(dialog.getByRole('group', { name: "This queue's agents" })).toContainText('Offline');
  await screenshot(alice, 'call-control-transfer-dialog');

  // A bad outside number: a clear error, and the call stays with alice.
  await dialog.getByLabel('Outside number', { exact: true }).fill('+1 55');
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await expect(dialog.getByText('This is not a valid international number')).toBeVisible();
  await expect(panel.getByTestId('current-call-state')).toHaveText('Connected');

  await dialog.getByRole('radio', { name: /Sam/ }).check();
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await expect(dialog).toBeHidden();
  await expect(alice.getByTestId('call-control-notice')).toContainText('transferred');
  await expect(alice.getByRole('region', { name: 'Call ended' })).toBeVisible();

  await answer(sam, carrierCaller);
  await expectAudioArriving(sam, 'customer → sam after the blind transfer');
  await hangUp(sam);
  await expectCustomerHungUpByDesk();
});

test('blind transfer to a queue: the customer waits in support and sam, its one online member, is offered the call', async () => {
  test.setTimeout(90_000);
  const panel = await customerCallsAlice();
  await panel.getByRole('button', { name: 'Transfer' }).click();
  const dialog = alice.getByRole('dialog', { name: 'Transfer the call' });
  const support = dialog.getByRole('group', { name: 'Queues' }).getByRole('radio', { name: /support/ });
  await support.check();
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await expect(dialog).toBeHidden();
  await expect(alice.getByRole('region', { name: 'Call ended' })).toBeVisible();
  await expect(panel).toBeHidden();

  // The queue offers the call to sam (carol and dave are offline): it reaches him as a queue call.
  const incoming = sam.getByRole('alertdialog', { name: 'Incoming call' });
  await expect(incoming).toContainText('support', { timeout: 15_000 });
  await answer(sam, carrierCaller);
  await expectAudioArriving(sam, 'customer → sam from the support queue');
  await hangUp(sam);
  await expectCustomerHungUpByDesk();
});

test('dave on a desk phone (SIP extension) holds, resumes, mutes, sends tones and hangs up from the panel', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const customer = await MediaPeer.start();
  const deskPort = await freePort();
  const desk = await startDeskPhone(deskPort, await freeMediaPorts());
  const did = '5550178';
  const routeRes = await admin.post('/api/admin/inbound-routes', {
    data: { number: did, targetType: 'extension', targetId: '1004' },
  });
  expect(routeRes.status(), await routeRes.text()).toBe(201);
  const routeId = (await routeRes.json()).id as number;
  const context = await browser.newContext({ baseURL, permissions: ['microphone', 'notifications'] });
  try {
    await registerDeskPhone(deskPort, 300);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Agent name or agent ID').fill('dave');
    await page.getByLabel('Password').fill('dave');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('softphone-status')).toHaveText('Desk phone registered', {
      timeout: 15_000,
    });

    carrier = await startCarrier(did, carrierPort, { customerMedia: customer.port });
    const panel = page.getByRole('region', { name: 'Current call' });
    const state = panel.getByTestId('current-call-state');
    await expect(state).toHaveText('Connected', { timeout: 10_000 });
    await expect(panel.getByTestId('current-call-party')).toHaveText(carrierCaller);

    // Hold: the customer hears the hold music (the desk phone itself is silent).
    await panel.getByRole('button', { name: 'Hold' }).click();
    await expect(state).toHaveText('On hold');
    await expect(panel.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true');
    const beforeHold = customer.loud;
    await expect
      .poll(() => customer.loud - beforeHold, { message: 'hold music reaches the customer' })
      .toBeGreaterThan(25);
    await screenshot(page, 'call-control-desk-phone-on-hold');

    // Resume: the music stops (a half-second window without a loud packet).
    await panel.getByRole('button', { name: 'Resume' }).click();
    await expect(state).toHaveText('Connected');
    let last = customer.loud;
    await expect
      .poll(
        () => {
          const grew = customer.loud - last;
          last = customer.loud;
          return grew;
        },
        { message: 'the hold music stops', intervals: [500], timeout: 8000 },
      )
      .toBe(0);

    await panel.getByRole('button', { name: 'Mute' }).click();
    await expect(panel.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
    const current = (await (await page.request.get('/api/calls/current')).json()) as {
      calls: Array<{ muted: boolean; held: boolean }>;
    };
    expect(current.calls).toMatchObject([{ muted: true, held: false }]);
    await panel.getByRole('button', { name: 'Unmute' }).click();
    await expect(panel.getByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'false');

    // Tones reach the customer as RFC 4733 events, one per key.
    await panel.getByRole('button', { name: 'Keypad' }).click();
    const keypad = panel.getByRole('group', { name: 'Send tones' });
    await keypad.getByRole('button', { name: '1', exact: true }).click();
    await expect(panel.getByTestId('dtmf-sent')).toHaveText('Sent 1');
    await keypad.getByRole('button', { name: '2', exact: true }).click();
    await expect(panel.getByTestId('dtmf-sent')).toHaveText('Sent 12');
    await keypad.getByRole('button', { name: 'pound' }).click();
    await expect(panel.getByTestId('dtmf-sent')).toHaveText('Sent 12#');
    // Typed on the keyboard while a key has focus.
    await page.keyboard.press('3');
    await expect(panel.getByTestId('dtmf-sent')).toHaveText('Sent 12#3');
    await expect.poll(() => customer.digits.join('')).toBe('12#3');

    await panel.getByRole('button', { name: 'Hang up' }).click();
    await expect(panel).toBeHidden();
    await expectCustomerHungUpByDesk();
    expect(await desk.exited, desk.output).toBe(0);
  } finally {
    desk.kill();
    customer.close();
    await registerDeskPhone(deskPort, 0);
    await context.close();
    await admin.delete(`/api/admin/inbound-routes/${routeId}`);
  }
});

test('hold from the web softphone’s call bar is the switch’s hold: panel and API say On hold, the customer hears music', async () => {
  test.setTimeout(90_000);
  const customer = await MediaPeer.start();
  try {
    carrier = await startCarrier(DID, carrierPort, { customerMedia: customer.port });
    await answer(alice, carrierCaller);
    const panel = alice.getByRole('region', { name: 'Current call' });
    const state = panel.getByTestId('current-call-state');
    await expect(state).toHaveText('Connected');
    const bar = alice.getByRole('region', { name: 'Call in progress' });
    await bar.getByRole('button', { name: 'Hold' }).click();
    await expect(bar).toContainText('On hold');
    await expect(state).toHaveText('On hold');
    // The state card's queue line says what its status says.
    await expect(alice.getByTestId('agent-state')).toContainText('On a call');
    await expect(alice.getByTestId('queue-state-sales')).toHaveText('On a call');
    const current = async () =>
      ((await (await alice.request.get('/api/calls/current')).json()) as { calls: Array<{ held: boolean }> })
        .calls;
    expect((await current()).map((c) => c.held)).toEqual([true]);
    const beforeHold = customer.loud;
    await expect
      .poll(() => customer.loud - beforeHold, { message: 'hold music reaches the customer' })
      .toBeGreaterThan(25);
    await screenshot(alice, 'call-control-web-hold');

    await bar.getByRole('button', { name: 'Resume' }).click();
    await expect(bar).toContainText('In call');
    await expect(state).toHaveText('Connected');
    expect((await current()).map((c) => c.held)).toEqual([false]);
    await hangUp(alice);
    await expectCustomerHungUpByDesk();
  } finally {
    customer.close();
  }
});

test("the answer bar names alice's customer by their CRM name, with the number once", async () => {
  test.setTimeout(60_000);
  const number = '+12025550133';
  const created = await alice.request.post('/api/customers', {
    data: { name: 'Priya Answerbar', phones: [number] },
  });
  expect(created.status(), await created.text()).toBe(201);
  carrier = await startCarrier(DID, carrierPort, { caller: number });
  const incoming = alice.getByRole('alertdialog', { name: 'Incoming call' });
  await expect(incoming).toBeVisible({ timeout: 10_000 });
  await expect(incoming.getByTestId('call-party')).toHaveText('Priya Answerbar');
  await expect(incoming.getByTestId('call-party-number')).toHaveText(number);
  expect(((await incoming.textContent()) ?? '').split(number).length - 1).toBe(1);
  await screenshot(alice, 'call-control-answer-bar-name');
  await answer(alice, 'Priya Answerbar');
  const bar = alice.getByRole('region', { name: 'Call in progress' });
  await expect(bar.getByTestId('call-party')).toHaveText('Priya Answerbar');
  await hangUp(alice);
  await expectCustomerHungUpByDesk();
});

test('hotkeys: the ringing call takes focus and the title; Alt+A answers, Alt+M/O/C/T/H act, Alt+/ lists them', async () => {
  test.setTimeout(60_000);
  await expect(alice.getByTestId('softphone-status')).toHaveText('Registered', { timeout: 15_000 });
  await expect(alice).toHaveTitle('Dashboard · Switchboard');
  carrier = await startCarrier(DID, carrierPort);
  const incoming = alice.getByRole('alertdialog', { name: 'Incoming call' });
  await expect(incoming).toBeVisible({ timeout: 10_000 });
  await expect(alice).toHaveTitle(`Incoming call · ${carrierCaller}`);
  await expect(incoming.getByRole('button', { name: 'Answer' })).toBeFocused();
  await alice.keyboard.press('Alt+KeyA');
  const bar = alice.getByRole('region', { name: 'Call in progress' });
  await expect(bar).toContainText('In call', { timeout: 10_000 });
  await expect(alice).toHaveTitle('Dashboard · Switchboard');

  await alice.keyboard.press('Alt+KeyM');
  await expect(bar.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
  await alice.keyboard.press('Alt+KeyM');
  await expect(bar.getByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'false');
  await alice.keyboard.press('Alt+KeyO');
  await expect(bar).toContainText('On hold');
  await alice.keyboard.press('Alt+KeyO');
  await expect(bar).toContainText('In call');

  await alice.keyboard.press('Alt+KeyC');
  const consult = alice.getByRole('dialog', { name: 'Consult' });
  await expect(consult).toBeVisible();
  await alice.keyboard.press('Escape');
  await expect(consult).toBeHidden();
  await alice.keyboard.press('Alt+KeyT');
  const transfer = alice.getByRole('dialog', { name: 'Transfer the call' });
  await expect(transfer).toBeVisible();
  await alice.keyboard.press('Escape');
  await expect(transfer).toBeHidden();

  await alice.keyboard.press('Alt+Slash');
  const help = alice.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Alt+H');
  await expect(help).toContainText('Hang up');
  await screenshot(alice, 'hotkeys-help');
  await alice.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await alice.keyboard.press('Alt+KeyH');
  await expect(alice.getByRole('region', { name: 'Call ended' })).toBeVisible();
  await expectCustomerHungUpByDesk();
  await alice.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'CDR' }).click();
  await expect(alice).toHaveTitle('CDR · Switchboard');
});
