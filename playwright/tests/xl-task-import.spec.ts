import { expect, test } from '@playwright/test';
import { screenshot } from './screenshots';

test('a 5,000-row import shows its progress while it runs, then the count imported', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill('sam');
  await page.getByLabel('Password').fill('sam');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbound Tasks' }).click();
  await expect(page.getByRole('heading', { name: 'Outbound Tasks' })).toBeVisible();

  const rows = Array.from(
    { length: 5000 },
    (_, i) =>
      `+1 202 55${String(10000 + i).padStart(5, '0')},${['alice', '1002', 'carol'][i % 3]},2026-09-01,2026-09-30,Bulk ${i}`,
  );
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const importer = page.getByRole('dialog', { name: 'Import outbound tasks' });
  // A file, as a supervisor would bring 5,000 rows (typing them into the box is not how).
  await importer.getByLabel('CSV file').setInputFiles({
    name: 'bulk-tasks.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['number,agent,start,end,note', ...rows].join('\n')),
  });
  await expect(importer.getByText('Loaded bulk-tasks.csv')).toBeVisible();
  await importer.getByRole('button', { name: 'Import' }).click();
  const bar = importer.getByRole('progressbar', { name: 'Import progress' });
  await expect(bar).toBeVisible({ timeout: 60_000 });
  await expect(importer.getByTestId('import-progress')).toContainText('of 5,000');
  await screenshot(page, 'tasks-import-progress');
  await expect(importer).toBeHidden({ timeout: 150_000 });
  await expect(page.getByText('5000 tasks imported.')).toBeVisible();
});
