import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';

// Each test walks through several pages with uploads and conversions: more than the default minute
// on a busy machine.
test.describe.configure({ timeout: 180_000 });

async function signIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

/** A 1.5 s 44.1 kHz stereo tone, and a text file named .wav. */
function uploads() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-sounds-'));
  const tone = path.join(dir, 'welcome.wav');
  execFileSync('sox', ['-n', '-r', '44100', '-c', '2', tone, 'synth', '1.5', 'sine', '440']);
  const notAudio = path.join(dir, 'notes.wav');
  writeFileSync(notAudio, 'these are meeting notes, not audio');
  return { tone, notAudio };
}

test('the sound library: upload (a bad file refused), listen, rename/move, pick it in a callback service, delete', async ({
  page,
}) => {
  const files = uploads();
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sound library' }).click();
  await expect(page.getByRole('heading', { name: 'Sound library' })).toBeVisible();
  const upload = page.getByRole('form', { name: 'Upload a sound' });

  await upload.getByLabel('Audio file').setInputFiles(files.notAudio);
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(upload.getByText(/Not a usable audio file.*upload WAV, MP3, OGG or FLAC/)).toBeVisible();
  await screenshot(page, 'sound-library-bad-file');

  await upload.getByLabel('Audio file').setInputFiles(files.tone);
  await upload.getByLabel('Name').fill('Welcome tone');
  await upload.getByLabel('Folder').fill('callback');
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(upload.getByText('Uploaded Welcome tone (1.5 s)')).toBeVisible();
  const row = page
    .getByRole('table', { name: 'Uploaded sounds' })
    .getByRole('row')
    .filter({ hasText: 'Welcome tone' });
  await expect(row).toContainText('callback');
  await expect(row).toContainText('1.5 s');

  // Listening fetches the converted file.
  const audio = page.waitForResponse((r) => /\/api\/admin\/sounds\/\d+\/audio$/.test(r.url()));
  await row.getByRole('button', { name: 'Listen to Welcome tone' }).click();
  const heard = await audio;
  expect(heard.status()).toBe(200);
  expect(heard.headers()['content-type']).toBe('audio/wav');
  const builtIn = page
    .getByRole('table', { name: 'Built-in prompts' })
    .getByRole('row')
    .filter({ hasText: 'enter-pin' });
  await expect(builtIn).toContainText('3.3 s');

  await row.getByRole('button', { name: 'Rename/move' }).click();
  const edit = page.getByRole('dialog');
  await edit.getByLabel('Name').fill('Greeting');
  await edit.getByLabel('Folder').fill('ivr/main');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  const moved = page
    .getByRole('table', { name: 'Uploaded sounds' })
    .getByRole('row')
    .filter({ hasText: /^Greeting/ });
  await expect(moved).toContainText('ivr/main');
  await page.getByLabel('Show folder').selectOption('ivr/main');
  await expect(page.getByRole('table', { name: 'Uploaded sounds' }).getByRole('row')).toHaveCount(2);
  await screenshot(page, 'sound-library');

  // The callback-service form picks prompts from the library.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Callback services' })
    .click();
  await page
    .getByRole('row')
    .filter({ hasText: 'Demo callback' })
    .getByRole('button', { name: 'Edit' })
    .click();
  const dialog = page.getByRole('dialog');
  const picker = dialog.getByLabel('Zero-credit sound', { exact: true });
  await expect(picker).toHaveValue('');
  await expect(picker.locator('optgroup[label="Uploaded · ivr/main"] option')).toHaveText([
    'Greeting (1.5 s)',
  ]);
  await expect(
    picker.locator('optgroup[label="Built-in prompts"] option', { hasText: 'credit-exhausted' }),
  ).toHaveCount(1);
  await picker.selectOption({ label: 'Greeting (1.5 s)' });
  const listen = page.waitForResponse((r) => /\/api\/admin\/sounds\/\d+\/audio$/.test(r.url()));
  await dialog.getByRole('button', { name: 'Listen to zero-credit sound' }).click();
  expect((await listen).status()).toBe(200);
  await screenshot(page, 'callback-service-sound-picker');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const services = await page.request.get('/api/admin/callback-services');
  const demo = (await services.json()).callbackServices.find(
    (s: { name: string }) => s.name === 'Demo callback',
  );
  expect(demo.zeroCreditPrompt).toMatch(/^sound:\d+$/);
  await page
    .getByRole('row')
    .filter({ hasText: 'Demo callback' })
    .getByRole('button', { name: 'Edit' })
    .click();
  await expect(page.getByRole('dialog').getByLabel('Zero-credit sound', { exact: true })).toHaveValue(
    demo.zeroCreditPrompt,
  );
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // Deleting asks first; the service's setting then shows the sound as missing.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sound library' }).click();
  await page
    .getByRole('table', { name: 'Uploaded sounds' })
    .getByRole('row')
    .filter({ hasText: /^Greeting/ })
    .getByRole('button', { name: 'Delete' })
    .click();
  const confirm = page.getByRole('dialog', { name: 'Delete Greeting?' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(confirm).toBeHidden();
  await expect(
    page
      .getByRole('table', { name: 'Uploaded sounds' })
      .getByRole('row')
      .filter({ hasText: /^Greeting/ }),
  ).toHaveCount(0);
  // The demo service as other specs expect it.
  const reset = await page.request.put(`/api/admin/callback-services/${demo.id}`, {
    data: { zeroCreditPrompt: null },
  });
  expect(reset.status()).toBe(200);
});

test('the callback circuit breaker: caps in Settings; once tripped the callback services page alerts at once', async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const card = page.getByRole('form', { name: 'Callback circuit breaker' });
  await card.getByLabel('Call backs per hour').fill('1');
  await card.getByRole('button', { name: 'Save circuit breaker' }).click();
  await expect(card.getByText('Circuit breaker caps saved.')).toBeVisible();
  await screenshot(page, 'settings-callback-breaker');

  // SMS requests (the webhook) from the demo subscriber's authorized number: the first is accepted,
  // the second trips the breaker.
  const secret = 'e2e-breaker-secret-0123456789';
  const list = await page.request.get('/api/admin/callback-services');
  const demo = (await list.json()).callbackServices.find((s: { name: string }) => s.name === 'Demo callback');
  const put = await page.request.put(`/api/admin/callback-services/${demo.id}`, {
    data: { smsSecret: secret, delayS: 600 },
  });
  expect(put.status()).toBe(200);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Callback services' })
    .click();
  await expect(page.getByRole('heading', { name: 'Callback services' })).toBeVisible();
  await expect(page.getByTestId('callback-breaker-alert')).toHaveCount(0);
  const sms = async () => {
    const body = JSON.stringify({ from: '+14155550132', to: '5550199', text: 'CALL' });
    const res = await page.request.post('/api/sms/inbound', {
      data: body,
      headers: {
        'content-type': 'application/json',
        'x-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
    });
    expect(res.status()).toBe(200);
    return (await res.json()) as { reply: string };
  };
  expect((await sms()).reply).toMatch(/^Calling \+14155550132 back in 600 s/);
  expect((await sms()).reply).toMatch(/circuit breaker/);
  // The live event brings the alert without a reload.
  const alert = page.getByTestId('callback-breaker-alert');
  await expect(alert).toContainText('Circuit breaker tripped: 1 call back in the last hour (cap 1)');
  await screenshot(page, 'callback-breaker-alert');

  // The subscriber sees the commands and both SMS requests, with what came of them, in the portal.
  const portal = await page.context().browser()!.newPage();
  await portal.goto('/portal/login');
  await portal.getByLabel('Soft-phone number').fill('18005550100');
  await portal.getByLabel('Password').fill('demo');
  await portal.getByRole('button', { name: 'Sign in' }).click();
  await expect(portal.getByTestId('portal-number')).toHaveText('18005550100');
  await portal
    .getByRole('navigation', { name: 'Account' })
    .getByRole('link', { name: 'SMS callback' })
    .click();
  await expect(portal.getByTestId('sms-numbers')).toContainText('5550199 (Demo callback)');
  const commands = portal.getByRole('table', { name: 'SMS commands' });
  await expect(commands.getByRole('row')).toHaveCount(7);
  await expect(commands.getByRole('row').filter({ hasText: 'CONNECT <n1> <n2>' })).toContainText(
    'Connect two numbers',
  );
  const requests = portal.getByRole('table', { name: 'Your SMS requests' }).getByRole('row');
  await expect(requests).toHaveCount(3);
  await expect(requests.nth(1)).toContainText('Refused');
  await expect(requests.nth(1)).toContainText('circuit breaker');
  await expect(requests.nth(2)).toContainText('Calling back soon');
  await portal.setViewportSize({ width: 390, height: 844 });
  await screenshot(portal, 'portal-sms-callback');
  await portal.close();
  // The demo data as other specs expect it.
  const settings = await page.request.put('/api/admin/settings', {
    data: { callbackBreaker: { maxMinutesPerHour: null, maxCallsPerHour: null } },
  });
  expect(settings.status()).toBe(200);
  const reset = await page.request.put(`/api/admin/callback-services/${demo.id}`, {
    data: { smsSecret: null, delayS: 3 },
  });
  expect(reset.status()).toBe(200);
});
