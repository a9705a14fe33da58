import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill(username);
  await page.getByLabel('Password').fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

const tag = Date.now().toString(36);

test('a supervisor builds a preview campaign from a dial task; the agent joins it on the desk and sees the task', async ({
  page,
  browser,
}) => {
  // Two browsers and a dozen steps: room for a loaded machine.
  test.setTimeout(120_000);
  await signIn(page, 'sam');
  // A pending dial task to work.
  const bob = await page.request.get('/api/agents');
  const bobId = ((await bob.json()).agents as Array<{ id: number; username: string }>).find(
    (a) => a.username === 'bob',
  )!.id;
  const created = await page.request.post('/api/dial-tasks', {
    data: {
      number: '+1 202 555 0142',
      assignedUserId: bobId,
      startAt: new Date(Date.now() - 60_000).toISOString(),
      endAt: new Date(Date.now() + 86_400_000).toISOString(),
      note: `Campaign task ${tag}`,
    },
  });
  expect(created.status()).toBe(201);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
  await expect(page.getByRole('heading', { name: 'Campaigns' })).toBeVisible();
  await page.getByRole('button', { name: 'New campaign' }).click();
  const form = page.getByRole('dialog', { name: 'New campaign' });
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(form.getByText('Enter a name')).toBeVisible();
  await expect(form.getByText('Choose a queue or at least one agent')).toBeVisible();
  await form.getByLabel('Name').fill(`Survey ${tag}`);
  await form.getByLabel('Mode').selectOption('preview');
  await form.getByLabel('Bob').check();
  // All day: the number's zones span the United States.
  await form.getByLabel('Calling hours from').fill('00:00');
  await form.getByLabel('Calling hours to').fill('00:00');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(form).toBeHidden();
  const row = page.getByRole('row', { name: new RegExp(`Survey ${tag}`) });
  await expect(row).toContainText('draft');
  // Editing: the form opens with the campaign's values and saves a change.
  await row.getByRole('button', { name: 'Edit' }).click();
  const editor = page.getByRole('dialog', { name: `Edit campaign “Survey ${tag}”` });
  await expect(editor.getByLabel('Name')).toHaveValue(`Survey ${tag}`);
  await expect(editor.getByLabel('Bob')).toBeChecked();
  await editor.getByLabel('Dials per task').fill('4');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();
  await expect(page.getByText(`Campaign “Survey ${tag}” saved.`)).toBeVisible();

  await row.getByRole('button', { name: 'Add tasks' }).click();
  const adder = page.getByRole('dialog', { name: `Add dial tasks to Survey ${tag}` });
  await adder.getByLabel(/\+12025550142/).check();
  await adder.getByRole('button', { name: /^Add/ }).click();
  await expect(adder).toBeHidden();
  await expect(row.getByTestId('remaining')).toHaveText('1');
  await row.getByRole('button', { name: 'Start' }).click();
  await expect(row).toContainText('running');
  // A running campaign keeps its mode.
  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(editor.getByLabel('Mode')).toBeDisabled();
  await expect(editor.getByLabel('Dials per task')).toHaveValue('4');
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await expect(editor).toBeHidden();

  const agent = await (await browser.newContext()).newPage();
  await signIn(agent, 'bob');
  const item = agent.getByRole('listitem').filter({ hasText: `Survey ${tag}` });
  await expect(item).toContainText('Preview');
  await item.getByRole('button', { name: 'Join' }).click();
  await expect(agent.getByTestId('preview-task')).toContainText('+12025550142');
  await expect(agent.getByTestId('preview-task').getByRole('button', { name: 'Call' })).toBeVisible();
  // The supervisor's page sees the agent join, live.
  await expect(row.locator('td').nth(7)).toHaveText('1');
  await screenshot(page, 'supervisor-campaigns');
  await screenshot(agent, 'desk-campaign-preview');

  // More work from a CRM search: a task for each customer found, on their first number.
  const customer = await page.request.post('/api/customers', {
    data: { name: `Survey lead ${tag}`, phones: ['+1 202 555 0143', '+1 202 555 0144'] },
  });
  expect(customer.status()).toBe(201);
  await row.getByRole('button', { name: 'Add tasks' }).click();
  await adder.getByLabel('Customers (CRM search)').check();
  const source = adder.getByRole('form', { name: 'Add customers' });
  await source.getByRole('button', { name: 'Add customers' }).click();
  await expect(source.getByText('Enter what to search the customers for')).toBeVisible();
  await source.getByLabel('Customers matching').fill(`Survey lead ${tag}`);
  await source.getByLabel('Assign the tasks to').selectOption({ label: 'Bob' });
  await screenshot(page, 'supervisor-campaign-crm-source');
  await source.getByRole('button', { name: 'Add customers' }).click();
  await expect(adder).toBeHidden();
  await expect(page.getByText(`1 customer(s) added to “Survey ${tag}”.`)).toBeVisible();
  await expect(row.getByTestId('remaining')).toHaveText('2');
});
