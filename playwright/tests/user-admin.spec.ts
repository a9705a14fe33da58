import { expect, type Page, test } from '@playwright/test';
import { startSipp } from '@switchboard/test-support';
import { sippScenarioFile } from '../../apps/server/test/sipp/scenario-files';
import { screenshot } from './screenshots';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill(username);
  await page.getByLabel('Password').fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

// Each test drives several dialogs on a shared, loaded machine: room beyond the 60 s default.
test.describe.configure({ timeout: 120_000 });

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const tag = () => `${process.pid % 1000}${Date.now() % 100_000}`;

/** Chooses the signed-in user's time zone in "Your settings". */
async function chooseTimeZone(page: Page, zone: string) {
  await page.getByRole('button', { name: /^Your settings/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Your settings' });
  await dialog.getByLabel('Time zone').selectOption(zone);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: /^Your settings/ })).toContainText(zone);
}

test('a user in another time zone sees CDR times shifted, and types filter times in it', async ({ page }) => {
  await signIn(page, 'admin');
  const res = await page.request.get('/api/cdr?sort=startedAt&order=desc&page=1&pageSize=1');
  const newest = (await res.json()).records[0] as { startedAt: number };
  expect(newest).toBeTruthy();
  // The same instant as the browser writes it in a zone (its default locale, the user's language).
  const shown = (zone: string) =>
    page.evaluate(
      ([ms, timeZone]) =>
        new Intl.DateTimeFormat(undefined, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone,
        }).format(ms as number),
      [newest.startedAt, zone] as const,
    );
  try {
    await chooseTimeZone(page, 'UTC');
    await nav(page).getByRole('link', { name: 'Statistics' }).click();
    const firstTime = page.getByTestId('cdr-row').first().locator('td').first();
    await expect(firstTime).toHaveText(await shown('UTC'));

    // Tokyo is UTC+9: every time moves by 9 hours.
    await chooseTimeZone(page, 'Asia/Tokyo');
    const tokyo = await shown('Asia/Tokyo');
    expect(tokyo).not.toBe(await shown('UTC'));
    await expect(firstTime).toHaveText(tokyo);

    // "From" is read in Tokyo time: a minute before the newest call still finds it (read as UTC
    // it would be hours later and find nothing).
    const from = await page.evaluate((ms) => {
      const parts = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'Asia/Tokyo',
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      }).formatToParts(ms - 60_000);
      const get = (t: string) => parts.find((p) => p.type === t)!.value;
      return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
    }, newest.startedAt);
    await page.getByLabel('From').fill(from);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(firstTime).toHaveText(tokyo);
    await screenshot(page, 'statistics-tokyo');
  } finally {
    // The demo admin's zone, as later specs expect it.
    await page.request.patch('/api/auth/me', { data: { timeZone: 'UTC' } });
  }
});

test('an admin edits a user: name, role, time zone, queues, extension (a taken number is refused plainly)', async ({
  page,
}) => {
  await signIn(page, 'admin');
  const username = `edited${tag()}`;
  const number = String(70_000 + (Date.now() % 20_000));
  const created = await page.request.post('/api/admin/users', {
    data: {
      username,
      displayName: 'To Edit',
      role: 'agent',
      password: 'pass-1234',
      extension: { number, type: 'web' },
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  try {
    await nav(page).getByRole('link', { name: 'Users & extensions' }).click();
    const row = page.getByTestId('user-row').filter({ hasText: username });
    await row.getByRole('button', { name: `Edit ${username}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit user · ${username}` });
    await dialog.getByLabel('Display name').fill('Edited Agent');
    await dialog.getByLabel('Role').selectOption('supervisor');
    await dialog.getByLabel('Time zone').selectOption('America/Sao_Paulo');
    await dialog.getByRole('checkbox', { name: 'support', exact: true }).check();
    await dialog.getByLabel('Extension number').fill('1001');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByText('Extension 1001 is already in use; choose another number')).toBeVisible();
    await expect(dialog.getByText('extension.number')).toHaveCount(0);
    await screenshot(page, 'edit-user-taken-extension');

    const next = String(Number(number) + 1);
    await dialog.getByLabel('Extension number').fill(next);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText('Edited Agent');
    await expect(row).toContainText('supervisor');
    await expect(row).toContainText('America/Sao_Paulo');
    await expect(row).toContainText(`${next} · Web`);
    await row.getByRole('button', { name: `Edit ${username}` }).click();
    await expect(dialog.getByRole('checkbox', { name: 'support', exact: true })).toBeChecked();
    await expect(dialog.getByRole('checkbox', { name: 'sales', exact: true })).not.toBeChecked();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await screenshot(page, 'edit-user');
  } finally {
    // Out of the demo queues and signed out everywhere: later specs count the queues' agents.
    await page.request.patch(`/api/admin/users/${id}`, { data: { queueIds: [], disabled: true } });
  }
});

test('deleting a queue is refused with the reason while a route sends calls to it', async ({ page }) => {
  await signIn(page, 'admin');
  const name = `doomed${tag()}`;
  const queue = await page.request.post('/api/admin/queues', { data: { name } });
  expect(queue.status()).toBe(201);
  const { id } = await queue.json();
  const routeNumber = `77${Date.now() % 10_000_000}`;
  const route = await page.request.post('/api/admin/inbound-routes', {
    data: { number: routeNumber, targetType: 'queue', targetId: String(id) },
  });
  expect(route.status()).toBe(201);
  const routeId = (await route.json()).id as number;

  await nav(page).getByRole('link', { name: 'Queues & routes' }).click();
  const card = page.locator('section', { hasText: `${name} ·` });
  const deleteQueue = async () => {
    await page.getByRole('button', { name: `Delete queue ${name}` }).click();
    const confirm = page.getByRole('dialog', { name: `Delete queue ${name}?` });
    await confirm.getByRole('button', { name: 'Delete queue' }).click();
    await expect(confirm).toBeHidden();
  };
  await deleteQueue();
  const error = page.getByTestId('queue-delete-error');
  await expect(error).toContainText(
    `${name} cannot be deleted: inbound routes send calls to it (${routeNumber})`,
  );
  await error.scrollIntoViewIfNeeded();
  await screenshot(page, 'delete-queue-refused');

  expect((await page.request.delete(`/api/admin/inbound-routes/${routeId}`)).status()).toBe(204);
  await deleteQueue();
  await expect(page.getByRole('button', { name: `Delete queue ${name}` })).toHaveCount(0);
  await expect(card).toHaveCount(0);
});

test('a trunk is created and edited in its form, and its live state follows the carrier', async ({
  page,
}) => {
  // sipp as the carrier's registrar: accepts carrier / s3cret, refuses anything else with 403.
  const carrier = await startSipp({
    scenario: sippScenarioFile('carrier-registrar.xml'),
    transport: 'udp',
    timeoutMs: 60_000,
    args: ['-deadcall_wait', '1'],
  });
  await signIn(page, 'admin');
  const name = `carrier${tag()}`;
  let trunkId: number | null = null;
  try {
    await nav(page).getByRole('link', { name: 'Trunks' }).click();
    await page.getByRole('button', { name: 'New trunk' }).click();
    const dialog = page.getByRole('dialog', { name: 'New trunk' });
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Host').fill('127.0.0.1');
    await dialog.getByLabel('Port', { exact: true }).fill('99999');
    await dialog.getByLabel('Username', { exact: true }).fill('carrier');
    await dialog.getByLabel('Password', { exact: true }).fill('s3cret');
    await dialog.getByLabel('Caller ID').fill('+15550100');
    await dialog.getByLabel(/Register with the carrier/).check();
    await dialog.getByLabel('Inbound addresses').fill('198.51.100.7\nnot an address!');
    await dialog.getByLabel('Dialer calls per second').fill('fast');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByText('A port from 1 to 65535')).toBeVisible();
    await expect(dialog.getByText('Calls per second must be a number')).toBeVisible();
    await dialog.getByLabel('Port', { exact: true }).fill(String(carrier.port));
    await dialog.getByLabel('Dialer calls per second').fill('5');
    await dialog.getByLabel('Dialer concurrent calls').fill('3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByText('An IP address, CIDR block or host name (line 2)')).toBeVisible();
    await dialog.getByLabel('Inbound addresses').fill('198.51.100.7\n203.0.113.0/24');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();

    const row = page.getByTestId('trunk-row').filter({ hasText: name });
    await expect(row).toContainText(`127.0.0.1:${carrier.port}`);
    await expect(row).toContainText('+15550100');
    await expect(row).toContainText('198.51.100.7, 203.0.113.0/24');
    // Registered through the 401 challenge: the live event turns the row Up without a reload.
    await expect(row.getByTestId('trunk-state')).toHaveText('Up', { timeout: 20_000 });
    await screenshot(page, 'trunk-up');

    const list = await (await page.request.get('/api/admin/trunks')).json();
    trunkId = list.trunks.find((t: { name: string }) => t.name === name).id;

    // A wrong password: the carrier refuses the registration and the row says so.
    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: `Edit trunk · ${name}` });
    await expect(edit.getByLabel('Host')).toHaveValue('127.0.0.1');
    await expect(edit.getByLabel('Port', { exact: true })).toHaveValue(String(carrier.port));
    await expect(edit.getByLabel('Dialer calls per second')).toHaveValue('5');
    await expect(edit.getByLabel('Dialer concurrent calls')).toHaveValue('3');
    await edit.getByLabel('Password', { exact: true }).fill('wrong-password');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();
    await expect(row.getByTestId('trunk-state')).toHaveText('Not registered', { timeout: 20_000 });
    await expect(row).toContainText('Registration refused: 403');
    await screenshot(page, 'trunk-refused');
  } finally {
    // Later specs add their own carriers: this trunk must not take their calls.
    if (trunkId === null) {
      const list = await (await page.request.get('/api/admin/trunks')).json();
      trunkId = list.trunks.find((t: { name: string }) => t.name === name)?.id ?? null;
    }
    if (trunkId !== null) await page.request.delete(`/api/admin/trunks/${trunkId}`);
    carrier.kill();
    await carrier.exited;
  }
});
