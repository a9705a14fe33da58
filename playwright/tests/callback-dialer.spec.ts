import { expect, type Page, request, test } from '@playwright/test';
import { screenshot } from './screenshots';
import { logIn } from './support/desk';

const customerName = `Ada Callback ${Date.now().toString(36)}`;
// A number on the do-not-call list: the plan's one attempt says so, whatever the hour. One no other
// spec dials (the list applies to every outbound call on the shared server), taken off at the end.
const blocked = '+12025550998';

test('an agent plans an auto-dialled callback with a queue and sees its attempts', async ({
  page,
  baseURL,
}) => {
  const admin = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  expect(
    (await admin.post('/api/auth/login', { data: { username: 'admin', password: 'admin' } })).status(),
  ).toBe(200);
  const listed = await admin.post('/api/do-not-call', { data: { number: blocked, reason: 'asked' } });
  expect(listed.status(), await listed.text()).toBe(201);
  const entryId = (await listed.json()).entry.id as number;
  try {
    await planAndReassign(page);
  } finally {
    expect((await admin.delete(`/api/do-not-call/${entryId}`)).status()).toBe(204);
    await admin.dispose();
  }
});

/** Alice plans the blocked customer's auto-dialled callback; sam reassigns it once it is missed. */
async function planAndReassign(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill('alice');
  await page.getByLabel('Password').fill('alice');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'CRM' }).click();
  await page.getByRole('button', { name: 'New customer' }).click();
  const dialog = page.getByRole('dialog', { name: 'New customer' });
  await dialog.getByLabel('Name').fill(customerName);
  await dialog.getByLabel('Phone number 1', { exact: true }).fill(blocked);
  await dialog.getByRole('button', { name: 'Create customer' }).click();
  await expect(dialog).toBeHidden();
  await page.getByLabel('Search').fill(customerName);
  await page.getByRole('table', { name: 'Customers' }).getByRole('link', { name: customerName }).click();
  await expect(page.getByRole('heading', { name: customerName })).toBeVisible();

  const me = await (await page.request.get('/api/auth/me')).json();
  const zone: string = me.user.timeZone;
  // now, as the form's wall time in the agent's zone
  const now = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(Date.now())
    .replace(' ', 'T');

  const plan = page.getByRole('form', { name: 'Callback plan' });
  await plan.getByLabel('When it is due').selectOption({ label: 'Auto-dial: customer first' });
  const queue = plan.getByLabel("If I don't answer, queue");
  await expect(queue).toBeVisible();
  await queue.selectOption({ index: 1 });
  await plan.getByLabel('Call back at').fill(now);
  await plan.getByLabel('Note (optional)').fill('Asked about the renewal');
  await screenshot(page, 'callback-plan-form-auto-dial');
  await plan.getByRole('button', { name: 'Plan callback' }).click();
  await expect(plan.getByText('It will be dialled when it is due.')).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Callback Plans' }).click();
  await page.getByLabel('Status').selectOption({ label: 'Missed' });
  const row = page
    .getByRole('table', { name: 'Callback plans' })
    .getByRole('row')
    .filter({ hasText: customerName });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await expect(row).toContainText('Auto-dial: customer first');
  await row.getByRole('button', { name: `Attempts of the callback to ${customerName}` }).click();
  const attempts = page.getByRole('list', { name: 'Attempts' });
  await expect(attempts).toContainText('On the do-not-call list');
  await screenshot(page, 'callback-plans-attempts');

  // A supervisor reassigns the plan to another agent from the same list; it stays reassigned.
  const aliceId: number = me.user.id;
  await page.context().clearCookies();
  await logIn(page, 'sam');
  await expect(page.getByTestId('current-user')).toBeVisible();
  const agents = (await (await page.request.get('/api/agents')).json()) as {
    agents: Array<{ id: number; displayName: string }>;
  };
  const other = agents.agents.find((a) => a.id !== aliceId)!;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Callback Plans' }).click();
  await page.getByLabel('Status').selectOption({ label: 'Missed' });
  const reassign = row.getByLabel(`Reassign the callback to ${customerName}`);
  await expect(reassign).toHaveValue(String(aliceId));
  await reassign.selectOption({ label: other.displayName });
  await expect(reassign).toHaveValue(String(other.id));
  await screenshot(page, 'callback-plans-reassign');
  await page.reload();
  await page.getByLabel('Status').selectOption({ label: 'Missed' });
  await expect(reassign).toHaveValue(String(other.id));
}
