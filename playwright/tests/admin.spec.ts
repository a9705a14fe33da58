import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill(username);
  await page.getByLabel('Password').fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

test('a supervisor sees agents with their state and queues with waiting counts', async ({ page }) => {
  await signIn(page, 'sam');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Agents' }).click();
  await expect(page.getByRole('heading', { name: 'Agents' })).toBeVisible();
  const rows = page.getByTestId('agent-row');
  await expect(rows).toHaveCount(5);
  await expect(rows.filter({ hasText: 'Dave' })).toContainText('1004 (SIP)');
  await expect(rows.filter({ hasText: 'Alice' })).toContainText('Logged out');
  await screenshot(page, 'supervisor-agents');

  await nav.getByRole('link', { name: 'Queues' }).click();
  const sales = page.getByTestId('queue-row').filter({ hasText: 'sales' });
  await expect(sales.locator('td').nth(2)).toHaveText('0');
  await expect(sales.locator('td').nth(3)).toHaveText('3');
  await expect(page.getByRole('link', { name: 'All outbound tasks' })).toHaveAttribute('href', '/tasks');
  await screenshot(page, 'supervisor-queues');
});

test('an admin creates and disables a user, and the user’s session ends', async ({ page, browser }) => {
  await signIn(page, 'admin');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Users & extensions' })
    .click();
  await expect(page.getByTestId('user-row').first()).toBeVisible();
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog');
  // A bad value comes back with the field's message.
  await dialog.getByLabel('Username').fill('zoe');
  await dialog.getByLabel('Display name').fill('Zoe Quinn');
  await dialog.getByLabel('Agent ID').fill('1099');
  await dialog.getByLabel('Password').fill('zoe-pass');
  await dialog.getByLabel('Extension number').fill('x9');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByText('An extension number has 2 to 8 digits')).toBeVisible();
  // An extension someone has: said at the field, in words, not as the API's raw message.
  await dialog.getByLabel('Extension number').fill('1001');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByText('Extension 1001 is already in use')).toBeVisible();
  await expect(dialog.getByText('extension.number:')).toHaveCount(0);
  await dialog.getByLabel('Extension number').fill('1099');
  await dialog.getByLabel("Record this extension's calls").check();
  await screenshot(page, 'admin-new-user');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog).toBeHidden();
  const zoe = page.getByTestId('user-row').filter({ hasText: 'Zoe Quinn' });
  await expect(zoe).toContainText('1099 · Web');
  await expect(zoe.getByRole('checkbox')).toBeChecked();

  // Zoe signs in elsewhere; disabling her ends that session.
  const other = await browser.newContext();
  const zoePage = await other.newPage();
  await zoePage.goto('/login');
  await zoePage.getByLabel('Agent name or agent ID').fill('zoe');
  await zoePage.getByLabel('Password').fill('zoe-pass');
  await zoePage.getByRole('button', { name: 'Sign in' }).click();
  await expect(zoePage.getByTestId('current-user')).toBeVisible();

  await zoe.getByRole('button', { name: 'Disable' }).click();
  await expect(zoe).toContainText('Disabled');
  await screenshot(page, 'admin-users');
  await zoePage.goto('/cdr');
  await expect(zoePage).toHaveURL(/\/login/);
  await other.close();
});

test('an admin turns on number masking and agents see masked numbers', async ({ page, browser }) => {
  await signIn(page, 'admin');
  await page.goto('/admin/settings');
  await page.getByLabel('Mode').selectOption('partial');
  await page.getByLabel('Keep first digits').fill('3');
  await page.getByLabel('Keep last digits').fill('2');
  await expect(page.getByTestId('masking-preview')).toHaveText('+159******40');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await screenshot(page, 'admin-settings');

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  try {
    await signIn(agent, 'bob');
    await agent.goto('/cdr');
    await expect(agent.getByTestId('recent-cdr-row')).toHaveCount(20);
    const numbers = await agent.getByTestId('recent-cdr-row').locator('td:nth-child(4)').allInnerTexts();
    expect(numbers.length).toBe(20);
    for (const n of numbers) expect(n).toMatch(/^\+\d{3}\*+\d{2}$/);
    await agent.goto('/statistics');
    await expect(agent.getByLabel('Customer number')).toBeDisabled();
    await screenshot(agent, 'statistics-masked');
  } finally {
    await agentContext.close();
    await page.getByLabel('Mode').selectOption('off');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
  }
});

test('an admin manages queue members and trunks', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/admin/routing');
  await expect(page.getByRole('heading', { name: 'Queues & routes' })).toBeVisible();
  const sales = page.locator('section').filter({ hasText: 'sales · longest-idle' });
  await expect(sales.getByTestId('queue-member')).toHaveCount(3);
  await sales.getByLabel('Add member').selectOption({ label: 'Carol' });
  await sales.getByLabel('Penalty', { exact: true }).fill('4');
  await sales.getByRole('button', { name: 'Add', exact: true }).click();
  const carol = sales.getByTestId('queue-member').filter({ hasText: 'Carol' });
  await expect(carol).toBeVisible();
  await expect(carol.getByRole('spinbutton')).toHaveValue('4');
  await screenshot(page, 'admin-routing');
  await carol.getByRole('button', { name: 'Remove' }).click();
  await expect(sales.getByTestId('queue-member')).toHaveCount(3);

  await page.goto('/admin/trunks');
  await page.getByRole('button', { name: 'New trunk' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('carrier-e2e');
  await dialog.getByLabel('Host').fill('carrier.example.com');
  await dialog.getByLabel('Port', { exact: true }).fill('5060');
  await dialog.getByLabel('Username', { exact: true }).fill('acct');
  await dialog.getByLabel('Password', { exact: true }).fill('e2e-secret');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row').filter({ hasText: 'carrier-e2e' });
  await expect(row).toContainText('carrier.example.com:5060');
  await expect(row).toContainText('acct · password set');
  await expect(page.getByText('e2e-secret')).toHaveCount(0);
  await screenshot(page, 'admin-trunks');
});

test('an admin edits a queue’s overflow and announcement interval through the form', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/admin/routing');
  const sales = page.locator('section').filter({ hasText: 'sales · longest-idle' });
  await sales.getByRole('button', { name: 'Edit settings of sales' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('group', { name: 'Delivery' }).getByLabel('Strategy')).toHaveValue(
    'longest-idle',
  );
  const waiting = dialog.getByRole('group', { name: 'Waiting' });
  const interval = waiting.getByLabel('Announcement interval (s)');
  const overflow = waiting.getByLabel('Overflow', { exact: true });
  // Put back afterwards: other specs place calls into sales.
  const before = (await (await page.request.get('/api/admin/queues')).json()).queues.find(
    (q: { name: string }) => q.name === 'sales',
  );
  expect(before.overflow.type).not.toBe('queue');
  try {
    // A value the server refuses comes back on its field, and nothing is saved.
    await interval.fill('5');
    await overflow.selectOption({ label: 'Another queue' });
    await waiting.getByLabel('Overflow queue').selectOption({ label: 'support' });
    await expect(waiting.getByLabel('Overflow queue').locator('option', { hasText: 'sales' })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(waiting.getByText('0 (off) or at least 15 s')).toBeVisible();
    await expect(interval).toHaveAttribute('aria-invalid', 'true');

    await interval.fill('30');
    await screenshot(page, 'admin-queue-settings');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(sales.getByTestId('queue-settings')).toContainText('then to queue support');
    await expect(sales.getByTestId('queue-settings')).toContainText('announcements every 30 s');

    // Read back through a fresh page: the server kept both.
    await page.reload();
    await sales.getByRole('button', { name: 'Edit settings of sales' }).click();
    await expect(waiting.getByLabel('Announcement interval (s)')).toHaveValue('30');
    await expect(waiting.getByLabel('Overflow', { exact: true })).toHaveValue('queue');
    await expect(waiting.getByLabel('Overflow queue')).toHaveValue(/\d+/);
    await expect(waiting.getByLabel('Overflow queue').locator('option:checked')).toHaveText('support');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    const restored = await page.request.patch(`/api/admin/queues/${before.id}`, {
      data: { announceIntervalS: before.announceIntervalS, overflow: before.overflow },
    });
    expect(restored.status()).toBe(200);
  }
});

test('the admin’s own dashboard points them to where they give themselves an extension', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  const note = page.getByTestId('no-extension');
  await expect(note).toContainText('Give yourself one under Users & extensions');
  await expect(note).not.toContainText('ask your administrator');
  await note.getByRole('link', { name: 'Users & extensions' }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
});
