import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill(username);
  await page.getByLabel('Password').fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
}

const tag = Date.now().toString(36);
const day = 86_400_000;
/** `YYYY-MM-DD` (UTC): the day typed into the task form. */
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** How the page writes that day: the browser's locale, medium date style (docs/agent-desk.md, "Time zones"). */
const shown = (page: Page, ms: number) =>
  page.evaluate(
    (day) =>
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(day)),
    isoDay(ms),
  );
const start = Date.now();
const end = start + 4 * day;
const note = `Renewal offer ${tag}`;

test.describe.configure({ mode: 'serial' });

test('a supervisor creates a task and imports a CSV, with a per-row report for bad rows', async ({
  page,
}) => {
  await signIn(page, 'sam');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbound Tasks' }).click();
  await expect(page.getByRole('heading', { name: 'Outbound Tasks' })).toBeVisible();

  await page.getByRole('button', { name: 'New task' }).click();
  const form = page.getByRole('dialog', { name: 'New outbound task' });
  await form.getByRole('button', { name: 'Create task' }).click();
  await expect(form.getByText('Choose the agent')).toBeVisible();
  await expect(form.getByText('Enter a number or choose a customer')).toBeVisible();
  await form.getByLabel('Number').fill('+1 415 555 0199');
  await form.getByLabel('Agent').selectOption({ label: 'Alice (1001)' });
  await form.getByLabel('Start date').fill(isoDay(start));
  await form.getByLabel('End date').fill(isoDay(end));
  await form.getByLabel('Note (optional)').fill(note);
  await screenshot(page, 'tasks-new-task');
  await form.getByRole('button', { name: 'Create task' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByText('Task assigned to Alice.')).toBeVisible();

  await page.getByRole('button', { name: 'Import CSV' }).click();
  const importer = page.getByRole('dialog', { name: 'Import outbound tasks' });
  await importer
    .getByLabel('Or paste the rows')
    .fill(
      [
        'number,agent,start,end,note',
        `+1 202 555 0101,alice,${isoDay(start)},${isoDay(start + day)},Import one ${tag}`,
        `not a number,bob,${isoDay(start)},${isoDay(start + day)},`,
        `+1 202 555 0102,nobody,${isoDay(start)},${isoDay(start - day)},Import three ${tag}`,
      ].join('\n'),
    );
  await importer.getByRole('button', { name: 'Import' }).click();
  await expect(importer.getByText('csv: 2 of 3 rows have errors; nothing was imported')).toBeVisible();
  const report = importer.getByRole('table', { name: 'Rows with errors' });
  await expect(report.getByRole('row')).toHaveCount(4);
  await expect(report.getByRole('row', { name: /3 number/ })).toContainText('not a phone number');
  await expect(report.getByRole('row', { name: /4 agent/ })).toContainText('No agent "nobody"');
  await expect(report.getByRole('row', { name: /4 end/ })).toContainText('before the start date');
  await screenshot(page, 'tasks-import-report');

  await importer
    .getByLabel('Or paste the rows')
    .fill(
      [
        'number,agent,start,end,note',
        `+1 202 555 0101,alice,${isoDay(start)},${isoDay(start + day)},Import one ${tag}`,
        `+1 202 555 0102,1002,${isoDay(start)},${isoDay(start + 2 * day)},Import two ${tag}`,
      ].join('\n'),
    );
  await importer.getByRole('button', { name: 'Import' }).click();
  await expect(importer).toBeHidden();
  await expect(page.getByText('2 tasks imported.')).toBeVisible();
  await page.getByLabel('Agent').selectOption({ label: 'Alice' });
  const table = page.getByRole('table', { name: 'Outbound tasks' });
  await expect(table.getByRole('row').filter({ hasText: note })).toHaveCount(1);
  await expect(table.getByRole('row').filter({ hasText: `Import one ${tag}` })).toHaveCount(1);
  await expect(table.getByRole('row').filter({ hasText: `Import two ${tag}` })).toHaveCount(0);
  await screenshot(page, 'tasks-supervisor');
  await signOut(page);
});

test('an agent sees their tasks with dates and corrects a result; the supervisor sees the history', async ({
  page,
}) => {
  await signIn(page, 'alice');
  await page.goto('/tasks');
  const table = page.getByRole('table', { name: 'Outbound tasks' });
  const row = table.getByRole('row').filter({ hasText: note });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell', { name: await shown(page, start), exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: await shown(page, end), exact: true })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Agent' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'New task' })).toHaveCount(0);
  // Call dials the task (by its id) once the softphone is registered; the call bar shows it
  await expect(page.getByTestId('softphone-status')).toHaveText('Registered', { timeout: 15_000 });
  const call = row.getByRole('button', { name: 'Call +14155550199' });
  await expect(call).toBeEnabled();
  await call.click();
  await expect(page.getByRole('region', { name: /^Call (in progress|ended)$/ })).toContainText(
    '+14155550199',
  );
  await expect(page.getByRole('region', { name: 'Call ended' })).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await row.getByLabel('Result for +14155550199').selectOption({ label: 'No answer' });
  await expect(page.getByText('Result for +14155550199 set to No answer.')).toBeVisible();
  await row.getByLabel('Result for +14155550199').selectOption({ label: 'Reached' });
  await expect(page.getByText('Result for +14155550199 set to Reached.')).toBeVisible();
  await page.reload();
  await expect(
    table.getByRole('row').filter({ hasText: note }).getByLabel('Result for +14155550199'),
  ).toHaveValue('reached');
  await screenshot(page, 'tasks-agent');
  await signOut(page);

  await signIn(page, 'sam');
  await page.goto('/tasks');
  const samRow = page
    .getByRole('table', { name: 'Outbound tasks' })
    .getByRole('row')
    .filter({ hasText: note });
  await samRow.getByRole('button', { name: 'History of task for +14155550199' }).click();
  const history = page.getByRole('dialog', { name: 'Task history' });
  await expect(history.getByText('Created')).toBeVisible();
  await expect(history.getByText('Result: Pending → No answer')).toBeVisible();
  await expect(history.getByText('Result: No answer → Reached')).toBeVisible();
  await expect(history.getByText(/Alice ·/).first()).toBeVisible();
  await screenshot(page, 'tasks-history');
});
