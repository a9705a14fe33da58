import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';
import { signIn as signInDesk } from './support/desk';

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const pill = (page: Page) => page.getByTestId('softphone-status');

test('alice: the softphone registers, the dial pad dials, the rates and recent calls render', async ({
  page,
}) => {
  await signIn(page, 'alice', 'alice');
  await expect(page.getByRole('heading', { name: 'Welcome, Alice' })).toBeVisible();
  await expect(pill(page)).toHaveText('Registered', { timeout: 15_000 });
  await expect(page.getByTestId('live-status')).toHaveCount(0);

  // Rate: two pies with the numbers as text
  const charts = page.getByRole('figure', { name: 'Answered rate charts' });
  await expect(charts.locator('.recharts-pie')).toHaveCount(2);
  await expect(charts.locator('.recharts-pie-sector').first()).toBeVisible();
  await expect(page.getByTestId('rate-month')).toContainText(
    /\d+ answered · \d+ not answered \(\d+% answered\)|No calls/,
  );
  await expect(page.getByTestId('rate-yesterday')).toContainText(/answered|No calls/);

  // Recent calls and the state card are there (the state shows its error when the API is missing)
  await expect(page.getByRole('heading', { name: 'Recent calls' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'State' })).toBeVisible();
  await screenshot(page, 'desk-dashboard');

  // dial pad: paste a formatted number, click keys, delete one
  await page.getByRole('button', { name: 'Dial pad' }).click();
  const pad = page.getByRole('dialog', { name: 'Dial pad' });
  const field = pad.getByLabel('Number to call');
  await field.fill('+1 (555) 010-2030');
  await expect(field).toHaveValue('+15550102030');
  await field.fill('');
  for (const k of ['1', '0', '0', '9']) await pad.getByRole('button', { name: k, exact: true }).click();
  await pad.getByRole('button', { name: 'Delete last digit' }).click();
  await pad.getByRole('button', { name: 'pound' }).click();
  await expect(field).toHaveValue('100#');
  await field.fill('1002');
  await expect(pad.getByRole('button', { name: 'Call' })).toBeEnabled();
  await screenshot(page, 'desk-dial-pad');
  await page.keyboard.press('Escape');
  await expect(pad).toHaveCount(0);
});

test('one tab owns the softphone; another tab takes it over with "Use here"', async ({ page, context }) => {
  await signIn(page, 'alice', 'alice');
  await expect(pill(page)).toHaveText('Registered', { timeout: 15_000 });

  const second = await context.newPage();
  await second.goto('/');
  await expect(pill(second)).toHaveText('Softphone active in another tab');
  await expect(second.getByRole('button', { name: 'Dial pad' })).toHaveCount(0);
  await screenshot(second, 'desk-other-tab');

  await second.getByRole('button', { name: 'Use here' }).click();
  await expect(pill(second)).toHaveText('Registered', { timeout: 15_000 });
  await expect(pill(page)).toHaveText('Softphone active in another tab');

  // closing the owner hands the softphone back to the remaining tab
  await second.close();
  await expect(pill(page)).toHaveText('Registered', { timeout: 15_000 });
});

test('the dashboard explains blocked notifications and stops asking once they are allowed', async ({
  browser,
  baseURL,
}) => {
  // Headless Chromium answers "denied" for a site without the permission (no prompt to click).
  const context: BrowserContext = await browser.newContext({ baseURL, permissions: ['microphone'] });
  try {
    const page = await context.newPage();
    await signIn(page, 'alice', 'alice');
    await expect(page.getByText('Desktop notifications are blocked')).toBeVisible();
    await screenshot(page, 'desk-notifications-blocked');
    await context.grantPermissions(['notifications']);
    await page.reload();
    await expect(pill(page)).toBeVisible();
    await expect(page.getByText('Desktop notifications are blocked')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Allow notifications' })).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('dave (SIP extension) sees whether his desk phone is registered, with no web softphone', async ({
  page,
}) => {
  await signIn(page, 'dave', 'dave');
  await expect(page.getByRole('heading', { name: 'Welcome, Dave' })).toBeVisible();
  await expect(page.getByText('Your extension 1004 is not registered on a SIP phone.')).toBeVisible();
  await expect(pill(page)).toHaveText('Desk phone not registered');
  await expect(page.getByRole('button', { name: 'Dial pad' })).toHaveCount(0);
  await expect(
    page.getByRole('figure', { name: 'Answered rate charts' }).locator('.recharts-pie'),
  ).toHaveCount(2);
  await screenshot(page, 'desk-sip-extension');
});

test('the state card: Pause without a reason asks for one; Go idle then clears that and goes idle', async ({
  page,
}) => {
  await signIn(page, 'carol', 'carol');
  const card = page.locator('section').filter({ has: page.getByRole('heading', { name: 'State' }) });
  await expect(card.getByTestId('agent-state')).toBeVisible();
  const paused = await page.request.put('/api/agents/me/state', {
    data: { status: 'paused', reason: 'Break' },
  });
  expect(paused.status(), await paused.text()).toBe(200);
  await expect(card.getByTestId('agent-state')).toContainText('Paused');
  await card.getByRole('button', { name: 'Pause' }).click();
  await expect(card.getByText('Choose a pause reason')).toBeVisible();
  // The switch's own reason for missed calls is not one to choose.
  await expect(card.getByLabel('Reason').locator('option', { hasText: 'missed' })).toHaveCount(0);
  await card.getByRole('button', { name: 'Go idle' }).click();
  await expect(card.getByTestId('agent-state')).toContainText('Idle');
  await expect(card.getByText('Choose a pause reason')).toHaveCount(0);
  await expect(card.getByTestId('queue-state-support')).toHaveText('Idle');
});

test('sign-in state: Offline by default until Go idle; the Settings choice applies; signing out is Offline', async ({
  page,
  browser,
}) => {
  await signIn(page, 'admin', 'admin');
  await expect(page.getByTestId('current-user')).toBeVisible();
  // A new agent: no sessions or state left by other specs.
  const username = `signin${Date.now() % 1_000_000}`;
  const created = await page.request.post('/api/admin/users', {
    data: {
      username,
      displayName: 'Sign In',
      role: 'agent',
      password: 'pass-1234',
      extension: { number: String(60_000 + (Date.now() % 20_000)), type: 'web' },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: number };
  const stateOf = async () =>
    ((await (await page.request.get(`/api/agents/${id}/state`)).json()) as { status: string }).status;
  let agent: Page | null = null;
  try {
    await page.goto('/admin/settings');
    const form = page.getByRole('form', { name: 'Agent sign-in' });
    await form.getByLabel('State at sign-in').selectOption('logged_out');
    await form.getByRole('button', { name: 'Save sign-in state' }).click();
    await expect(form.getByText('Sign-in state saved')).toBeVisible();
    await screenshot(page, 'settings-sign-in-state');

    agent = await signInDesk(browser, username, { password: 'pass-1234' });
    const card = agent.locator('section').filter({ has: agent.getByRole('heading', { name: 'State' }) });
    await expect(card.getByTestId('agent-state')).toContainText('Offline');
    expect(await stateOf()).toBe('logged_out');
    await screenshot(agent, 'desk-offline-at-sign-in');
    await card.getByRole('button', { name: 'Go idle' }).click();
    await expect(card.getByTestId('agent-state')).toContainText('Idle');
    await agent.getByRole('button', { name: 'Sign out' }).click();
    await expect(agent).toHaveURL(/\/login/);
    await expect.poll(stateOf).toBe('logged_out');

    // The administrator's choice: a pause to start in (applying it is covered by agent-state.test.ts).
    await form.getByLabel('State at sign-in').selectOption('paused:Break');
    await form.getByRole('button', { name: 'Save sign-in state' }).click();
    await expect(form.getByText('Sign-in state saved')).toBeVisible();
    const saved = (await (await page.request.get('/api/admin/settings')).json()) as { agentSignIn: unknown };
    expect(saved.agentSignIn).toEqual({ status: 'paused', reason: 'Break' });
  } finally {
    await agent?.context().close();
    // The other specs' agents are Idle once registered (global-setup.ts).
    await page.request.put('/api/admin/settings', {
      data: { agentSignIn: { status: 'idle', reason: null } },
    });
    await page.request.patch(`/api/admin/users/${id}`, { data: { queueIds: [], disabled: true } });
  }
});
