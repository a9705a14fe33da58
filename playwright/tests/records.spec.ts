import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill(username);
  await page.getByLabel('Password').fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

test('Statistics → CDR: an agent searches, sorts and exports their calls', async ({ page }) => {
  await signIn(page, 'alice');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Statistics' }).click();
  await expect(page.getByRole('heading', { name: 'Statistics · CDR' })).toBeVisible();
  await expect(page.getByTestId('cdr-row').first()).toBeVisible();
  const totals = page.getByTestId('cdr-totals');
  const allCalls = Number(
    ((await totals.locator('p.text-2xl').first().textContent()) ?? '').replace(/\D/g, ''),
  );
  expect(allCalls).toBeGreaterThan(25);
  // Agents see only their own calls.
  const agents = await page.getByTestId('cdr-row').locator('td:nth-child(6)').allInnerTexts();
  expect(new Set(agents)).toEqual(new Set(['Alice']));

  await page.getByLabel('Type').selectOption('inbound');
  await page.getByLabel('Disposition').selectOption('answered');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect
    .poll(async () =>
      Number(((await totals.locator('p.text-2xl').first().textContent()) ?? '').replace(/\D/g, '')),
    )
    .toBeLessThan(allCalls);
  const types = await page.getByTestId('cdr-row').locator('td:nth-child(2)').allInnerTexts();
  expect(new Set(types)).toEqual(new Set(['Inbound']));
  const dispositions = await page.getByTestId('cdr-row').locator('td:nth-child(7)').allInnerTexts();
  expect(new Set(dispositions)).toEqual(new Set(['answered']));

  // Sort by duration, longest first.
  await page.getByRole('button', { name: /Duration/ }).click();
  await expect(page.getByRole('columnheader', { name: /Duration/ })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  // The page shows the previous rows until the sorted ones arrive, so wait for the order itself.
  const durations = async () =>
    (await page.getByTestId('cdr-row').locator('td:nth-child(8)').allInnerTexts()).map((d) => {
      const [m, s] = d.split(':').map(Number);
      return m! * 60 + s!;
    });
  await expect
    .poll(async () => {
      const d = await durations();
      return d.length > 1 && d.every((v, i) => i === 0 || d[i - 1]! >= v);
    })
    .toBe(true);
  await screenshot(page, 'statistics-cdr');

  // A bad filter answers with the field's message, not a crash.
  await page.getByLabel('Customer number').fill('12');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('Enter at least 3 digits')).toBeVisible();
  await page.getByLabel('Customer number').fill('');
  await page.getByRole('button', { name: 'Search' }).click();

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^cdr-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await file.path())!, 'utf8').replace(/^\ufeff/, '');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toContain('Customer number');
  expect(lines.slice(1).every((l) => l.split(',')[2] === 'Inbound')).toBe(true);
});

test('CDR: the agent’s recent calls; call-back dials the call by its id from the softphone', async ({
  page,
}) => {
  await signIn(page, 'bob');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'CDR', exact: true })
    .click();
  await expect(page.getByTestId('recent-cdr-row')).toHaveCount(20);
  const row = page
    .getByTestId('recent-cdr-row')
    .filter({ has: page.getByRole('button', { name: /Call back/ }) })
    .first();
  const callBack = row.getByRole('button', { name: /Call back/ });
  await expect(page.getByTestId('softphone-status')).toHaveText('Registered', { timeout: 15_000 });
  await expect(callBack).toBeEnabled();
  await screenshot(page, 'cdr-recent');
  const number = ((await row.getByRole('cell').nth(3).textContent()) ?? '').trim();
  await callBack.click();
  await expect(page.getByRole('region', { name: /^Call (in progress|ended)$/ })).toContainText(number);
  await expect(page.getByRole('region', { name: 'Call ended' })).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Dismiss' }).click();
});

/**
 * The call specs before this one record short calls of their own (alice records); these checks are
 * about the demo data's recordings, which all started before this run. Times are the users' (UTC).
 */
async function onlyDemoRecordings(page: Page) {
  const before = new Date(Date.now() - 20 * 60_000).toISOString().slice(0, 16);
  await page.getByLabel('To', { exact: true }).fill(before);
  await page.getByRole('button', { name: 'Search' }).click();
}

test('Recordings: an agent plays a recording with a waveform and downloads the WAV', async ({ page }) => {
  await signIn(page, 'alice');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Recordings' }).click();
  await expect(page.getByRole('heading', { name: 'Recordings' })).toBeVisible();
  await onlyDemoRecordings(page);
  const rows = page.getByTestId('recording-row');
  await expect(rows.first()).toBeVisible();
  expect(new Set(await rows.locator('td:nth-child(5)').allInnerTexts())).toEqual(new Set(['Alice']));
  await screenshot(page, 'recordings');

  await rows
    .first()
    .getByRole('button', { name: /Play recording/ })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('waveform')).toBeVisible();
  const audio = dialog.getByTestId('recording-audio');
  await expect
    .poll(() => audio.evaluate((el) => (el as unknown as { duration: number }).duration), { timeout: 10_000 })
    .toBeGreaterThan(3);
  // Seeking through the waveform moves the player (the server answers Range requests).
  await dialog.getByTestId('waveform').click({ position: { x: 300, y: 40 } });
  await expect
    .poll(() => audio.evaluate((el) => (el as unknown as { currentTime: number }).currentTime))
    .toBeGreaterThan(0.5);
  await screenshot(page, 'recordings-player');

  const download = page.waitForEvent('download');
  await dialog.getByRole('link', { name: 'Download WAV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.wav$/);
  const bytes = readFileSync((await file.path())!);
  expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(dialog).toBeHidden();

  // Search by a type the agent has no recordings of → a clear empty state.
  await page.getByLabel('From').fill('2099-01-01T00:00');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText(/No recordings match/)).toBeVisible();
});

test('Recordings: a supervisor sees every agent’s recordings', async ({ page }) => {
  await signIn(page, 'sam');
  await page.goto('/recordings');
  await onlyDemoRecordings(page);
  const rows = page.getByTestId('recording-row');
  await expect(rows).toHaveCount(10);
  const agents = new Set(await rows.locator('td:nth-child(5)').allInnerTexts());
  expect(agents.size).toBeGreaterThan(1);
});

test('Statistics → Reports: a supervisor reads the charts, keeps filters in the URL, downloads a CSV, opens a call', async ({
  page,
}) => {
  await signIn(page, 'sam');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Statistics · Reports' })).toBeVisible();
  const calls = page.getByTestId('report-calls');
  // The chart is drawn (an image named by its figures) from the calls of the last 7 days.
  const chart = calls.getByRole('img', { name: /^Calls by outcome: \d+ answered/ });
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  const answered = Number(/(\d+) answered/.exec((await chart.getAttribute('aria-label')) ?? '')![1]);
  expect(answered).toBeGreaterThan(0);
  // The table fallback adds up to the same figure.
  const cells = await calls.locator('tbody tr td:nth-child(2)').allTextContents();
  expect(cells.reduce((sum, c) => sum + Number(c), 0)).toBe(answered);
  await expect(
    page.getByTestId('report-service-level').locator('.recharts-line-curve').first(),
  ).toBeVisible();
  // Every demo queue keeps the default target: one dashed line for them all.
  const targetLine = page.getByTestId('report-service-level').locator('.recharts-reference-line');
  await expect(targetLine).toHaveCount(1);
  await expect(
    page.getByTestId('report-service-level').locator('svg text', { hasText: 'Target 80 %' }),
  ).toBeVisible();
  await expect(page.getByTestId('report-agents').locator('tbody th', { hasText: 'Alice' })).toBeAttached();
  await screenshot(page, 'statistics-reports');

  // Filters live in the address: per hour, one queue; a reload keeps them.
  await page.getByLabel('Per', { exact: true }).selectOption('hour');
  await expect(page).toHaveURL(/bucket=hour/);
  await page.getByLabel('Queue', { exact: true }).selectOption({ label: 'sales' });
  await expect(page).toHaveURL(/queue=\d+/);
  await page.reload();
  await expect(page.getByLabel('Per', { exact: true })).toHaveValue('hour');
  await expect(page.getByLabel('Queue', { exact: true }).locator('option:checked')).toHaveText('sales');
  await expect(
    page
      .getByTestId('report-service-level')
      .getByRole('img', { name: /^Service level per queue: sales: .* \(target 80 %\)$/ }),
  ).toBeVisible();

  const download = page.waitForEvent('download');
  await calls.getByRole('link', { name: 'Download Calls by outcome as CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^calls-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await file.path())!, 'utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('Period start,Answered,Abandoned,No answer,Busy,Failed,Abandon rate (%)');
  // Seven days of hours (give or take a DST change).
  expect(lines.length - 1).toBeGreaterThanOrEqual(167);

  // The call detail, from a CDR row.
  await page.getByRole('link', { name: 'CDR search' }).click();
  const row = page.getByTestId('cdr-row').first();
  const ring = ((await row.locator('td:nth-child(9)').textContent()) ?? '').replace('s', '').trim();
  await row.getByRole('button', { name: /^Details of the call/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Call detail' });
  await expect(dialog.getByTestId('call-detail')).toBeVisible();
  await expect(dialog.getByText('Ring', { exact: true }).locator('..')).toContainText(`${ring} s`);
  await expect(dialog.getByRole('heading', { name: 'Legs' })).toBeVisible();
  await screenshot(page, 'call-detail');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(dialog).toBeHidden();
});
