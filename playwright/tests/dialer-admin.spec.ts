import { expect, test } from '@playwright/test';
import { screenshot } from './screenshots';
import { signIn } from './support/desk';
import { adminSession } from './support/switch-setup';

test('an admin sets the dialing policy and keeps the do-not-call list: add, search, import, remove', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const api = await adminSession(playwright, baseURL);
  const before = (await (await api.get('/api/dialer/policy')).json()).policy;
  const page = await signIn(browser, 'admin', { until: 'desk' });
  const tail = String(Date.now() % 10_000).padStart(4, '0');
  try {
    await page.goto('/admin/dialer');
    const form = page.getByRole('form', { name: 'Dialing policy' });
    await form.getByLabel('Attempts per callback').fill('0');
    await form.getByRole('button', { name: 'Save policy' }).click();
    // A bad value is named at its field and nothing is saved.
    await expect(form.getByText(/greater than or equal to 1|at least 1|>=1/i)).toBeVisible();
    expect((await (await api.get('/api/dialer/policy')).json()).policy.maxAttempts).toBe(before.maxAttempts);
    await form.getByLabel('Attempts per callback').fill('4');
    await form.getByLabel('After busy (s)').fill('240');
    await form.getByLabel('Calling hours from').fill('08:30');
    await form.getByRole('button', { name: 'Save policy' }).click();
    await expect(form.getByText('Saved. The next dial follows it.')).toBeVisible();
    const saved = (await (await api.get('/api/dialer/policy')).json()).policy;
    expect(saved).toMatchObject({
      maxAttempts: 4,
      retryDelaySeconds: { busy: 240 },
      callingHours: { from: '08:30' },
      pacing: null,
    });

    // Pacing: left to the node, its caps are shown greyed; set here, every node follows them.
    const perSecond = form.getByLabel('Calls started per second');
    await expect(perSecond).toBeDisabled();
    await form.getByLabel('Set the pace for every node here').check();
    await perSecond.fill('0');
    await form.getByLabel('Calls at once').fill('12');
    await form.getByRole('button', { name: 'Save policy' }).click();
    await expect(form.getByText(/greater than 0|positive|>0/i)).toBeVisible();
    expect((await (await api.get('/api/dialer/policy')).json()).policy.pacing).toBeNull();
    await perSecond.fill('2.5');
    await form.getByRole('button', { name: 'Save policy' }).click();
    await expect(form.getByText('In force on this node: 2.5 per second, 12 at once.')).toBeVisible();
    const paced = await (await api.get('/api/dialer/policy')).json();
    expect(paced.policy.pacing).toEqual({ callsPerSecond: 2.5, maxConcurrent: 12 });
    expect(paced.pacingInForce).toEqual({ callsPerSecond: 2.5, maxConcurrent: 12 });
    await screenshot(page, 'dialer-policy-pacing');

    const add = page.getByRole('form', { name: 'Add to the do-not-call list' });
    await add.getByRole('textbox', { name: 'Number' }).fill(`(202) 555-${tail}`);
    await add.getByLabel('Reason (optional)').fill('asked on the phone');
    await add.getByRole('button', { name: 'Add number' }).click();
    const table = page.getByRole('table', { name: 'Numbers on the do-not-call list' });
    await page.getByLabel('Search').fill(tail);
    await expect(table.getByRole('row').filter({ hasText: `+1202555${tail}` })).toContainText(
      'asked on the phone',
    );
    await add.getByRole('textbox', { name: 'Number' }).fill('not a number');
    await add.getByRole('button', { name: 'Add number' }).click();
    await expect(add.getByRole('textbox', { name: 'Number' })).toHaveAttribute('aria-invalid', 'true');

    const other = String((Number(tail) + 1) % 10_000).padStart(4, '0');
    await page.getByLabel('Import a CSV file of numbers').setInputFiles({
      name: 'dnc.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`number,reason\n+1202555${other},imported\n+1202555${tail},again\n`),
    });
    await expect(page.getByText('Imported: 1 added, 1 already listed.')).toBeVisible();
    await page.getByLabel('Search').fill(other);
    await expect(table.getByRole('row').filter({ hasText: `+1202555${other}` })).toContainText('imported');
    await screenshot(page, 'admin-dialer');

    await table.getByRole('button', { name: `Remove +1202555${other}` }).click();
    await expect(table.getByText('No listed number matches.')).toBeVisible();
  } finally {
    await api.put('/api/dialer/policy', { data: before });
    for (const n of [tail, String((Number(tail) + 1) % 10_000).padStart(4, '0')]) {
      const list = (await (await api.get(`/api/do-not-call?search=${n}`)).json()).entries as { id: number }[];
      for (const e of list) await api.delete(`/api/do-not-call/${e.id}`);
    }
    await page.context().close();
    await api.dispose();
  }
});
