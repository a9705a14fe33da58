import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill(username);
  await page.getByLabel('Password').fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible({ timeout: 15_000 });
}

test('an administrator makes an API token that another server uses until it is revoked', async ({
  page,
  request,
}) => {
  const name = `Helpdesk ${Date.now().toString(36)}`;
  await signIn(page, 'admin');
  await page.goto('/admin/api-tokens');
  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Read call records').check();
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const secret = await page.getByLabel(`API token for ${name}`).inputValue();
  expect(secret).toMatch(/^sb_/);
  await screenshot(page, 'api-token-created');
  await page.getByRole('button', { name: 'Done' }).click();

  const auth = { headers: { authorization: `Bearer ${secret}` } };
  expect((await request.get('/api/cdr', auth)).status()).toBe(200);
  expect((await request.get('/api/customers', auth)).status()).toBe(403);
  // The API document is open to a token of any scope.
  expect((await request.get('/api/openapi.json', auth)).status()).toBe(200);
  await page.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Revoked');
  await screenshot(page, 'api-tokens-list');
  expect((await request.get('/api/cdr', auth)).status()).toBe(401);

  // The API reference opens from the page, served by the server itself (no internet needed).
  const popup = page.waitForEvent('popup');
  await page.getByRole('link', { name: 'API reference' }).click();
  const docs = await popup;
  // Swagger UI reads the whole document before it draws anything; slow on a busy machine.
  await expect(docs.getByRole('heading', { name: /Switchboard API/ })).toBeVisible({ timeout: 20_000 });
  await docs.getByRole('link', { name: 'Customers', exact: true }).click();
  const lookup = docs.locator('.opblock-get', { hasText: '/customers/lookup' });
  await expect(lookup).toContainText('Look up the customer of a number or call');
  await screenshot(docs, 'api-docs');
  await docs.close();
});

test('an administrator adds a webhook and sees a ping delivered, signed, in its log', async ({ page }) => {
  const received: { signature: string; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      received.push({ signature: String(req.headers['switchboard-signature']), body });
      res.end('thanks');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    await signIn(page, 'admin');
    await page.goto('/admin/webhooks');
    await page.getByRole('button', { name: 'New webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'New webhook' });
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await expect(dialog.getByText(/Enter the URL/)).toBeVisible();
    await dialog.getByLabel('URL').fill(url);
    await dialog.getByLabel('A call ended (with its CDR)').check();
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await expect(page.getByRole('table', { name: 'Webhooks' })).toContainText(url);

    await page.getByRole('button', { name: `Deliveries to ${url}` }).click();
    const log = page.getByRole('dialog', { name: `Deliveries to ${url}` });
    await log.getByRole('button', { name: 'Send a ping' }).click();
    await expect(log.getByRole('table', { name: 'Deliveries' })).toContainText('delivered', {
      timeout: 15_000,
    });
    await expect(log.getByRole('table', { name: 'Deliveries' })).toContainText('200 thanks');
    await screenshot(page, 'webhook-deliveries');
    expect(received).toHaveLength(1);
    expect(received[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ type: 'ping' });
    await page.keyboard.press('Escape');
    await expect(log).toBeHidden();
    await page.getByRole('button', { name: `Delete ${url}` }).click();
    await expect(page.getByRole('table', { name: 'Webhooks' })).not.toContainText(url);
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
