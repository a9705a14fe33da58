import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { freeMediaPorts, freePort, type SippProcess, startSipp } from '@switchboard/test-support';
import { phoneSdp, uasReply } from '../../apps/server/test/sipp/uas-scenario';
import { screenshot } from './screenshots';
import { logIn } from './support/desk';
import { addTrunkUp, adminSession } from './support/switch-setup';

/**
 * Web callback from the portal, with sipp as the carrier behind a trunk: it rings, then answers
 * every INVITE except those whose Request-URI matches `refuse` (turned away with `refuseWith`);
 * with `ringOnly` it rings until cancelled. The trunk's keep-alive OPTIONS are answered too.
 */
async function startCarrier(options: { refuse?: string; refuseWith?: string; ringOnly?: boolean } = {}) {
  const port = await freePort();
  const match = options.refuse
    ? `<action><ereg regexp="^INVITE ${options.refuse}" search_in="msg" check_it="false" assign_to="refused" /></action>`
    : '';
  const refuse = options.refuse ? '<nop test="refused" next="refuse" />' : '';
  const answer = options.ringOnly
    ? `<recv request="CANCEL" />${uasReply('200 OK', { contactUser: 'carrier' })}${uasReply('487 Request Terminated', { contactUser: 'carrier', cseq: 'CSeq: 1 INVITE' })}
  <recv request="ACK" next="done" />`
    : `<pause milliseconds="1500" />${uasReply('200 OK', { contactUser: 'carrier', sdp: phoneSdp() })}
  <recv request="ACK" />
  <recv request="BYE" />${uasReply('200 OK', { contactUser: 'carrier' })}
  <nop next="done" />`;
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="web callback carrier">
  <recv request="OPTIONS" optional="true" next="keepalive" />
  <recv request="INVITE">${match}</recv>
  ${refuse}${uasReply('180 Ringing', { contactUser: 'carrier' })}
  ${answer}
  <label id="refuse" />${uasReply(options.refuseWith ?? '486 Busy Here', { contactUser: 'carrier' })}
  <recv request="ACK" next="done" />
  <label id="keepalive" />${uasReply('200 OK', { contactUser: 'carrier' })}
  <label id="done" />
</scenario>`;
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-wcb-')), 'carrier.xml');
  writeFileSync(file, xml);
  const sipp = await startSipp({
    scenario: file,
    transport: 'udp',
    port,
    timeoutMs: 90_000,
    args: ['-mi', '127.0.0.1', '-mp', String(await freeMediaPorts()), '-m', '50', '-trace_err'],
  });
  return { port, sipp };
}

let seq = 0;
/** A trunk to the carrier for the web-callback service, and a new subscriber with `credit`. */
async function setUp(admin: APIRequestContext, carrierPort: number, credit: string) {
  const trunkId = await addTrunkUp(admin, `e2e-wcb-${carrierPort}`, carrierPort);
  const before = await (await admin.get('/api/admin/web-callback')).json();
  const put = await admin.put('/api/admin/web-callback', {
    data: { ...before, trunkId, legARingTimeoutS: 6, legBRingTimeoutS: 10 },
  });
  expect(put.status(), await put.text()).toBe(200);
  const plans = await (await admin.get('/api/admin/plans')).json();
  const accountNumber = `1666${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(4, '0')}`;
  const sub = await admin.post('/api/admin/subscribers', {
    data: { accountNumber, displayName: `E2E ${seq}`, password: 'e2e-secret', planId: plans.plans[0].id },
  });
  expect(sub.status(), await sub.text()).toBe(201);
  const subscriberId = (await sub.json()).id as number;
  const top = await admin.post(`/api/admin/subscribers/${subscriberId}/credit`, {
    data: { amount: credit, reason: 'e2e' },
  });
  expect(top.status()).toBe(200);
  return {
    accountNumber,
    async cleanup() {
      await admin.put('/api/admin/web-callback', { data: before });
      await admin.delete(`/api/admin/trunks/${trunkId}`);
    },
  };
}

async function portalSignIn(page: Page, accountNumber: string) {
  await page.goto('/portal/login');
  await page.getByLabel('Soft-phone number').fill(accountNumber);
  await page.getByLabel('Password').fill('e2e-secret');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('portal-number')).toHaveText(accountNumber);
}

async function fillNumber(page: Page, group: string, parts: [string, string, string]) {
  const g = page.getByRole('group', { name: group });
  await g.getByLabel('Country code').fill(parts[0]);
  await g.getByLabel('Area code').fill(parts[1]);
  await g.getByLabel('Number').fill(parts[2]);
}

let carrier: { port: number; sipp: SippProcess } | null = null;
test.afterEach(() => {
  carrier?.sipp.kill();
  carrier = null;
});

test('a subscriber registers a call-back number, calls a destination and watches both legs, survives a reload, hangs up and pays', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(90_000);
  carrier = await startCarrier();
  const admin = await adminSession(playwright, baseURL);
  const setup = await setUp(admin, carrier.port, '5.00');
  try {
    await portalSignIn(page, setup.accountNumber);
    const tabs = page.getByRole('navigation', { name: 'Account' });
    await tabs.getByRole('link', { name: 'Web callback' }).click();
    await expect(page.getByTestId('register-first')).toHaveText(
      'Please register a call-back number first before making call back',
    );
    await page.getByRole('link', { name: 'Add call-back number' }).click();
    await fillNumber(page, 'Call-back number', ['1', '415', '12']);
    await page.getByRole('button', { name: 'Add call-back number' }).click();
    await expect(page.getByText('Enter the number as 3 to 14 digits')).toBeVisible();
    await fillNumber(page, 'Call-back number', ['1', '000', '0000000']);
    await page.getByRole('button', { name: 'Add call-back number' }).click();
    await expect(page.getByText(/is not a valid call-back number/)).toBeVisible();
    await fillNumber(page, 'Call-back number', ['1', '415', '5550132']);
    await page.getByRole('button', { name: 'Add call-back number' }).click();
    await expect(page.getByTestId('registered-callback-number')).toHaveText('+14155550132');
    await screenshot(page, 'portal-callback-number');

    await tabs.getByRole('link', { name: 'Web callback' }).click();
    await fillNumber(page, 'Destination', ['1', '212', '5550199']);
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
    await page.getByRole('button', { name: 'Call' }).click();
    const legA = page.getByTestId('leg-a');
    const legB = page.getByTestId('leg-b');
    await expect(legA).toHaveAttribute('data-status', 'alerting');
    await expect(legA).toHaveAttribute('data-status', 'connected', { timeout: 10_000 });
    await expect(legB).toHaveAttribute('data-status', 'alerting', { timeout: 10_000 });
    await expect(legB).toHaveAttribute('data-status', 'connected', { timeout: 10_000 });
    await expect(page.getByTestId('web-callback-status')).toHaveAttribute('data-status', 'connected');
    await expect(page.getByRole('button', { name: 'Call' })).toBeDisabled();
    await expect(page.getByTestId('web-callback-row').first()).toContainText('Connected');
    await screenshot(page, 'portal-web-callback-live');

    // A reload finds the call again, live.
    await page.reload();
    await expect(page.getByTestId('web-callback-status')).toHaveAttribute('data-status', 'connected');
    await expect(page.getByTestId('web-callback-time')).not.toHaveText('0:00');
    await expect(page.getByTestId('web-callback-time')).not.toHaveText('0:01');

    await page.getByRole('button', { name: 'Hang up' }).click();
    await expect(page.getByTestId('web-callback-status')).toHaveAttribute('data-status', 'ended');
    await expect(legA).toHaveAttribute('data-status', 'ended');
    await expect(legB).toHaveAttribute('data-status', 'ended');
    await expect(page.getByTestId('web-callback-outcome')).toHaveText('You ended the call from the portal');
    await expect(page.getByTestId('web-callback-cost')).toHaveText('0.01 USD');
    await expect(page.getByTestId('web-callback-row')).toHaveCount(1);
    await screenshot(page, 'portal-web-callback-ended');
    await tabs.getByRole('link', { name: 'Account' }).click();
    await expect(page.getByTestId('portal-balance')).toHaveText('4.99 USD');
  } finally {
    await setup.cleanup();
    await admin.dispose();
  }
});

test('busy destination with Change Number: the one-off number is called, told why, nothing charged', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(90_000);
  carrier = await startCarrier({ refuse: 'sip:\\+?44', refuseWith: '486 Busy Here' });
  const admin = await adminSession(playwright, baseURL);
  const setup = await setUp(admin, carrier.port, '2.00');
  try {
    await portalSignIn(page, setup.accountNumber);
    await page.goto('/portal/callback-number');
    await fillNumber(page, 'Call-back number', ['1', '415', '5550132']);
    await page.getByRole('button', { name: 'Add call-back number' }).click();
    await expect(page.getByTestId('registered-callback-number')).toHaveText('+14155550132');
    await page.goto('/portal/web-callback');
    await page.getByRole('button', { name: 'Change Number' }).click();
    await expect(page.getByTestId('one-off-number')).toBeVisible();
    await fillNumber(page, 'Call me on this number — for this call only', ['1', '646', '5550188']);
    await fillNumber(page, 'Destination', ['44', '20', '79460958']);
    await screenshot(page, 'portal-web-callback-change-number');
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
    await page.getByRole('button', { name: 'Call' }).click();
    await expect(page.getByTestId('leg-a')).toContainText('+16465550188');
    await expect(page.getByTestId('leg-b')).toHaveAttribute('data-status', 'busy', { timeout: 15_000 });
    await expect(page.getByTestId('web-callback-status')).toHaveAttribute('data-status', 'ended', {
      timeout: 15_000,
    });
    await expect(page.getByTestId('web-callback-outcome')).toHaveText('The number you called was busy');
    await expect(page.getByTestId('web-callback-cost')).toHaveText('0.00 USD');
    // On a phone-sized screen the page fits its width.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByTestId('web-callback-status')).toBeVisible();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'portal-web-callback-phone');
    await page.goto('/portal/callback-number');
    await expect(page.getByTestId('registered-callback-number')).toHaveText('+14155550132');
  } finally {
    await setup.cleanup();
    await admin.dispose();
  }
});

test('connect two numbers where leg A does not answer: the call ends with the reason', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(90_000);
  carrier = await startCarrier({ ringOnly: true });
  const admin = await adminSession(playwright, baseURL);
  const setup = await setUp(admin, carrier.port, '2.00');
  try {
    await portalSignIn(page, setup.accountNumber);
    await page.goto('/portal/callback-number');
    await fillNumber(page, 'Call-back number', ['1', '415', '5550132']);
    await page.getByRole('button', { name: 'Add call-back number' }).click();
    await expect(page.getByTestId('registered-callback-number')).toBeVisible();
    await page.goto('/portal/web-callback');
    await page.getByRole('button', { name: 'Change Number' }).click();
    await fillNumber(page, 'Call me on this number — for this call only', ['1', '718', '5550111']);
    await fillNumber(page, 'Destination', ['1', '212', '5550199']);
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
    await page.getByRole('button', { name: 'Call' }).click();
    await expect(page.getByTestId('leg-a')).toHaveAttribute('data-status', 'alerting');
    await expect(page.getByTestId('leg-a')).toHaveAttribute('data-status', 'no_answer', { timeout: 15_000 });
    await expect(page.getByTestId('leg-b')).toHaveAttribute('data-status', 'waiting');
    await expect(page.getByTestId('web-callback-outcome')).toHaveText('We could not reach you: No answer');
    await expect(page.getByTestId('web-callback-row').first()).toContainText('+17185550111');
  } finally {
    await setup.cleanup();
    await admin.dispose();
  }
});

test('an administrator sets the web-callback service: a bad setting is refused, a good one saved and applied', async ({
  page,
  playwright,
  baseURL,
}) => {
  const admin = await adminSession(playwright, baseURL);
  const before = await (await admin.get('/api/admin/web-callback')).json();
  try {
    await logIn(page, 'admin');
    await expect(page.getByTestId('current-user')).toBeVisible();
    await page.getByRole('link', { name: 'Web callback' }).click();
    await expect(page.getByRole('heading', { name: 'Web callback' })).toBeVisible();
    await page.getByLabel('Leg A (the subscriber) sees').selectOption('fixed');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Enter the number leg A shows')).toBeVisible();
    await page.getByLabel('Fixed number for leg A').fill('+12025550100');
    await page.getByLabel('Allowed countries').fill('us, ca');
    await page.getByLabel('Per account, a minute').fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Saved. New web callbacks use these settings.')).toBeVisible();
    await screenshot(page, 'admin-web-callback');
    const saved = await (await admin.get('/api/admin/web-callback')).json();
    expect(saved).toMatchObject({
      legACallerIdPolicy: 'fixed',
      legACallerId: '+12025550100',
      allowedCountries: ['US', 'CA'],
      maxPerMinutePerSubscriber: 3,
    });
  } finally {
    await admin.put('/api/admin/web-callback', { data: before });
    await admin.dispose();
  }
});
