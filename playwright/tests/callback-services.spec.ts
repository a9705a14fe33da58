import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';

async function signIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

test('an admin sees the demo callback service and creates one; a bad setting names its field', async ({
  page,
}) => {
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Callback services' })
    .click();
  await expect(page.getByRole('heading', { name: 'Callback services' })).toBeVisible();
  const demo = page.getByRole('row').filter({ hasText: 'Demo callback' });
  await expect(demo).toContainText('5550199');
  await expect(demo).toContainText('Ring 2 s, busy · after 3 s');
  await expect(demo).toContainText('PIN');
  await screenshot(page, 'admin-callback-services');

  await page.getByRole('button', { name: 'New callback service' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Office callback');
  await dialog.getByLabel('Access number').fill('5550188');
  await dialog.getByLabel('Call back', { exact: true }).selectOption('call_number');
  await dialog.getByLabel('Number to call back').fill('12345');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('A number in E.164')).toBeVisible();
  await dialog.getByLabel('Number to call back').fill('+14155550160');
  await dialog.getByLabel('Call backs per hour (service)').fill('10');
  await dialog.getByLabel('Allowed destination countries').fill('US, CA');
  await screenshot(page, 'admin-callback-service-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const created = page.getByRole('row').filter({ hasText: 'Office callback' });
  await expect(created).toContainText('A fixed number +14155550160');
  await expect(created).toContainText('10/h · US CA');
});
