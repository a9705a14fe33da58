import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';

/** Prepaid accounts: the subscriber's portal pages and the administrator's. */

async function portalSignIn(page: Page) {
  await page.goto('/portal/login');
  await page.getByLabel('Soft-phone number').fill('18005550100');
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('portal-number')).toHaveText('18005550100');
}

test('a subscriber sees their balance and history, manages caller IDs and changes the PIN', async ({
  page,
}) => {
  await portalSignIn(page);
  await expect(page.getByTestId('portal-balance')).toHaveText('20.00 USD');
  await expect(page.getByTestId('ledger-row').first()).toContainText('Top-up');
  await expect(page.getByTestId('ledger-row').first()).toContainText('+20.00');
  await screenshot(page, 'portal-account');

  const tabs = page.getByRole('navigation', { name: 'Account' });
  await tabs.getByRole('link', { name: 'Authorized caller IDs' }).click();
  await expect(page.getByTestId('caller-id-row')).toHaveCount(1);
  await expect(page.getByTestId('caller-id-row').first()).toContainText('+14155550132');
  await page.getByLabel('Phone number').fill('not a number');
  await page.getByRole('button', { name: 'Add caller ID' }).click();
  await expect(page.getByText('not a number is not a phone number')).toBeVisible();
  await page.getByLabel('Phone number').fill('(415) 555-0199');
  await page.getByRole('button', { name: 'Add caller ID' }).click();
  await expect(page.getByTestId('caller-id-row')).toHaveCount(2);
  await expect(page.getByTestId('caller-id-row').nth(1)).toContainText('+14155550199');
  await screenshot(page, 'portal-caller-ids');
  await page.getByRole('button', { name: 'Remove +14155550199' }).click();
  await expect(page.getByTestId('caller-id-row')).toHaveCount(1);

  await tabs.getByRole('link', { name: 'PIN & password' }).click();
  await page.getByLabel('New PIN').fill('12ab');
  await page.getByRole('button', { name: 'Change PIN' }).click();
  await expect(page.getByText('A PIN is 4 to 10 digits (no letters or spaces)')).toBeVisible();
  await page.getByLabel('New PIN').fill('2468');
  await page.getByLabel('Your portal password').fill('wrong');
  await page.getByRole('button', { name: 'Change PIN' }).click();
  await expect(page.getByText('The current password is not right')).toBeVisible();
  await page.getByLabel('Your portal password').fill('demo');
  await page.getByRole('button', { name: 'Change PIN' }).click();
  await expect(page.getByText('Your PIN is changed.')).toBeVisible();
  await screenshot(page, 'portal-security');
  // Put the demo PIN back for the other tests.
  await page.getByLabel('New PIN').fill('1234');
  await page.getByLabel('Your portal password').fill('demo');
  await page.getByRole('button', { name: 'Change PIN' }).click();

  await tabs.getByRole('link', { name: 'Call history' }).click();
  await expect(page.getByRole('heading', { name: 'Call history' })).toBeVisible();
  await screenshot(page, 'portal-calls');
});

test('an administrator creates a subscriber, tops it up with a reason, and imports rates', async ({
  page,
}) => {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Subscribers' }).click();
  await expect(page.getByTestId('subscriber-row').first()).toContainText('18005550100');

  await page.getByRole('button', { name: 'New subscriber' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Account (soft-phone) number').fill('15550001234');
  await dialog.getByLabel('Display name').fill('Grace Hopper');
  await dialog.getByLabel('Portal password').fill('grace-pw');
  await dialog.getByLabel('Phone PIN').fill('12x4');
  await dialog.getByRole('button', { name: 'Create subscriber' }).click();
  await expect(dialog.getByText('A PIN is digits only (no letters or spaces)')).toBeVisible();
  await dialog.getByLabel('Phone PIN').fill('1942');
  await dialog.getByRole('button', { name: 'Create subscriber' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('link', { name: '15550001234' }).click();
  await expect(page.getByTestId('subscriber-balance')).toHaveText('0.00 USD');

  await page.getByRole('button', { name: 'Top up or adjust' }).click();
  const credit = page.getByRole('dialog');
  await credit.getByLabel('Amount (USD)').fill('-5');
  await credit.getByLabel('Reason').fill('Paid by card');
  await credit.getByRole('button', { name: 'Save' }).click();
  await expect(credit.getByText('The amount must not be negative')).toBeVisible();
  await credit.getByLabel('Amount (USD)').fill('15.00');
  await credit.getByRole('button', { name: 'Save' }).click();
  await expect(credit).toBeHidden();
  await expect(page.getByTestId('subscriber-balance')).toHaveText('15.00 USD');
  await expect(page.getByTestId('admin-ledger-row').first()).toContainText('Paid by card');
  await screenshot(page, 'admin-subscriber');

  await nav.getByRole('link', { name: 'Rates & plans' }).click();
  await page.getByRole('link', { name: 'Default', exact: true }).click();
  await expect(page.getByTestId('rate-row')).toHaveCount(5);
  await page.getByLabel('Rate CSV file').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('prefix;rate_per_minute\n44;0,02\n4x;0,05\n'),
  });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('import-errors')).toContainText('Line 3 (prefix)');
  await expect(page.getByTestId('rate-row')).toHaveCount(5);
  await screenshot(page, 'admin-rate-table');
});
