import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill(username);
  await page.getByLabel('Password').fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

const customerName = `Grace Hopper ${Date.now().toString(36)}`;

test.describe.configure({ mode: 'serial' });

test('an agent adds a customer with two numbers, sees only their own, and plans a callback', async ({
  page,
}) => {
  await signIn(page, 'alice');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'CRM' }).click();
  await expect(page.getByRole('heading', { name: 'CRM · Customer Management' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Customers' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  // an agent's list has no "Added by" column and no delete
  await expect(table.getByRole('columnheader', { name: 'Added by' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Delete / })).toHaveCount(0);
  await screenshot(page, 'crm-agent-list');

  await page.getByRole('button', { name: 'New customer' }).click();
  const dialog = page.getByRole('dialog', { name: 'New customer' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await dialog.getByLabel('Name').fill(customerName);
  await dialog.getByLabel('Phone number 1', { exact: true }).fill('call me maybe');
  await dialog.getByRole('button', { name: 'Add another number' }).click();
  await dialog.getByLabel('Phone number 2', { exact: true }).fill('+44 20 7946 0958');
  await dialog.getByLabel('Company (optional)').fill('US Navy');
  await dialog.getByRole('button', { name: 'Create customer' }).click();
  await expect(dialog.getByText(/"call me maybe" is not a phone number/)).toBeVisible();
  await expect(dialog.getByLabel('Phone number 1', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'crm-new-customer-bad-number');
  await dialog.getByLabel('Phone number 1', { exact: true }).fill('(202) 555-0143');
  await dialog.getByRole('button', { name: 'Create customer' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `${customerName} was added.` })).toBeVisible();

  await page.getByLabel('Search').fill('7946 09');
  await expect(table.getByRole('link', { name: customerName })).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(2);
  const row = table.getByRole('row').filter({ hasText: customerName });
  const phones = row.getByRole('cell').nth(1);
  await expect(phones).toContainText('+12025550143');
  await expect(phones).toContainText('+442079460958');
  // two numbers: the agent chooses which; Call dials it (by phone id) once the softphone is registered
  await row.getByLabel(`Number to call for ${customerName}`).selectOption({ label: '+442079460958' });
  const call = row.getByRole('button', { name: `Call ${customerName} on +442079460958` });
  await expect(page.getByTestId('softphone-status')).toHaveText('Registered', { timeout: 15_000 });
  await expect(call).toBeEnabled();
  await screenshot(page, 'crm-agent-search');
  await call.click();
  // the outgoing call shows in the call bar (the e2e switch has no carrier: it then ends)
  const bar = page.getByRole('region', { name: /^Call (in progress|ended)$/ });
  await expect(bar).toContainText('+442079460958');
  await expect(page.getByRole('region', { name: 'Call ended' })).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(bar).toHaveCount(0);

  await row.getByRole('link', { name: customerName }).click();
  await expect(page.getByRole('heading', { name: customerName })).toBeVisible();
  // the call just placed (by phone id) is in the customer's history
  await expect(
    page
      .getByRole('table', { name: `Recent calls with ${customerName}` })
      .getByRole('row', { name: /\+442079460958/ }),
  ).toHaveCount(1);
  const plan = page.getByRole('form', { name: 'Callback plan' });
  await plan.getByLabel('Number to call').selectOption({ label: '+442079460958' });
  await plan.getByLabel('Note (optional)').fill('Wants a quote for the fleet');
  await plan.getByRole('button', { name: 'Plan callback' }).click();
  await expect(plan.getByText('Callback planned.')).toBeVisible();
  const plans = page.getByRole('table', { name: 'Callback plans' });
  await expect(plans.getByText('Wants a quote for the fleet')).toBeVisible();
  await expect(plans.getByText('Scheduled')).toBeVisible();
  await screenshot(page, 'crm-customer-page');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Callback Plans' }).click();
  await expect(page.getByRole('heading', { name: 'Callback Plans' })).toBeVisible();
  const listed = page
    .getByRole('table', { name: 'Callback plans' })
    .getByRole('row')
    .filter({ hasText: customerName });
  await expect(listed).toHaveCount(1);
  await screenshot(page, 'callback-plans-agent');
  await listed.getByRole('button', { name: `Mark callback to ${customerName} done` }).click();
  await expect(listed).toHaveCount(0);
  await page.getByLabel('Status').selectOption({ label: 'Done' });
  await expect(listed.getByText('Done')).toBeVisible();
});

test('a customer of another agent is not there for an agent', async ({ page }) => {
  await signIn(page, 'bob');
  await page.goto('/crm');
  await page.getByLabel('Search').fill(customerName);
  await expect(page.getByText(`No customer matches “${customerName}”.`)).toBeVisible();
});

test('a supervisor sees every agent’s customers, edits and deletes one', async ({ page }) => {
  await signIn(page, 'sam');
  await page.goto('/crm');
  const table = page.getByRole('table', { name: 'Customers' });
  await expect(table.getByRole('columnheader', { name: 'Added by' })).toBeVisible();
  await page.getByLabel('Sort by').selectOption({ label: 'Last contact (newest)' });
  await expect(page).toHaveURL(/sort=lastContact/);
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  await screenshot(page, 'crm-supervisor-list');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(/^21–40 of \d+ customers$/)).toBeVisible();

  await page.getByLabel('Search').fill(customerName);
  const row = table.getByRole('row').filter({ hasText: customerName });
  await expect(row.getByRole('cell', { name: 'Alice' })).toBeVisible();
  await row.getByRole('button', { name: `Edit ${customerName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${customerName}` });
  await dialog.getByLabel('Company (optional)').fill('Harvard Mark I');
  await dialog.getByRole('button', { name: 'Remove phone number 2' }).click();
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText('Harvard Mark I')).toBeVisible();
  await expect(row.getByRole('cell').nth(1)).toHaveText('+12025550143');

  await row.getByRole('button', { name: `Delete ${customerName}` }).click();
  const confirm = page.getByRole('dialog', { name: `Delete ${customerName}?` });
  await expect(confirm.getByText('Added by Alice.', { exact: false })).toBeVisible();
  await screenshot(page, 'crm-supervisor-delete');
  await confirm.getByRole('button', { name: 'Delete customer' }).click();
  await expect(page.getByText(`No customer matches “${customerName}”.`)).toBeVisible();
});

test('a supervisor imports customers from a semicolon CSV and downloads the export', async ({ page }) => {
  const tag = Date.now().toString(36);
  await signIn(page, 'sam');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'CRM' }).click();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import customers' });
  const rows = (phone: string) =>
    `name;company;phone_1;owner;notes\nLin ${tag};Lin, Sons & Co;${phone};alice;"call after 5, not before"\n`;
  await dialog.getByLabel('Or paste the rows').fill(rows('call me'));
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByRole('table', { name: 'Rows with errors' })).toContainText('not a phone number');
  await screenshot(page, 'crm-import-errors');
  await dialog.getByLabel('Or paste the rows').fill(rows('+44 20 7946 0123'));
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByText('1 customer imported.')).toBeVisible();
  await page.getByLabel('Search').fill(`Lin ${tag}`);
  await expect(page.getByRole('table', { name: 'Customers' })).toContainText('Lin, Sons & Co');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await (await download).path();
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(file, 'utf8');
  expect(text.startsWith('\ufeffid,name,company')).toBe(true);
  expect(text).toContain(`Lin ${tag},"Lin, Sons & Co"`);
});
