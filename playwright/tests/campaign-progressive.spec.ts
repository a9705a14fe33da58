import { expect, type Page, test } from '@playwright/test';
import { startSipp } from '@switchboard/test-support';
import { customerHangsUp } from '../../apps/server/test/sipp/uas-scenario';
import { screenshot } from './screenshots';
import { freeMediaPorts, freePort, type SippProcess } from './support/carrier';
import { answer, goIdle, logIn, signIn } from './support/desk';
import { addTrunkUp, adminSession } from './support/switch-setup';

// A progressive campaign with the agent on the web softphone (sip.js in Chromium): the dialer calls
// the customer (sipp behind a test trunk), rings the joined agent once the customer answers, and the
// agent sets the call's result in the campaign call bar while talking. The result stands after the
// call ends, over the "Reached" the dialer would have set.
test('progressive: the joined agent is rung for an answered customer and sets the result in the campaign call bar', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const admin = await adminSession(playwright, baseURL);
  const sam = await playwright.request.newContext({ baseURL });
  expect((await sam.post('/api/auth/login', { data: { username: 'sam', password: 'sam' } })).ok()).toBe(true);
  const tag = Date.now().toString(36);
  let customer: SippProcess | null = null;
  let trunkId: number | null = null;
  let campaignId: number | null = null;
  let carol: Page | null = null;
  try {
    const port = await freePort();
    customer = await startSipp({
      scenario: customerHangsUp(8000),
      transport: 'udp',
      port,
      timeoutMs: 90_000,
      // -aa: the trunk's OPTIONS keep-alives are answered (each counts as one of sipp's calls).
      args: ['-aa', '-m', '50', '-mi', '127.0.0.1', '-mp', String(await freeMediaPorts()), '-trace_err'],
    });
    trunkId = await addTrunkUp(admin, `e2e-campaign-${port}`, port);

    const agents = (await (await sam.get('/api/agents')).json()).agents as Array<{
      id: number;
      username: string;
    }>;
    const carolId = agents.find((a) => a.username === 'carol')!.id;
    const name = `Progressive Customer ${tag}`;
    const created = await sam.post('/api/customers', {
      data: { name, phones: ['+1 202 555 0171'] },
    });
    expect(created.status(), await created.text()).toBe(201);
    const customerId = (await created.json()).customer.id as number;
    const task = await sam.post('/api/dial-tasks', {
      data: {
        number: '+1 202 555 0171',
        customerId,
        assignedUserId: carolId,
        startAt: new Date(Date.now() - 60_000).toISOString(),
        endAt: new Date(Date.now() + 86_400_000).toISOString(),
        note: `Progressive task ${tag}`,
      },
    });
    expect(task.status(), await task.text()).toBe(201);
    const taskId = (await task.json()).task.id as number;
    const campaign = await sam.post('/api/campaigns', {
      data: {
        name: `Renewals ${tag}`,
        mode: 'progressive',
        agentIds: [carolId],
        // All day: the number's zones span the United States.
        callingHours: { from: '00:00', to: '00:00' },
      },
    });
    expect(campaign.status(), await campaign.text()).toBe(201);
    campaignId = (await campaign.json()).campaign.id as number;
    expect(
      (await sam.post(`/api/campaigns/${campaignId}/tasks`, { data: { taskIds: [taskId] } })).status(),
    ).toBe(201);
    expect((await sam.post(`/api/campaigns/${campaignId}/start`)).status()).toBe(200);

    // The agent signs in, joins on the desk (it says Progressive) and is idle: the customer is dialled.
    carol = await signIn(browser, 'carol');
    const item = carol.getByTestId(`desk-campaign-${campaignId}`);
    await expect(item).toContainText('Progressive');
    await goIdle(carol);
    await item.getByRole('button', { name: 'Join' }).click();
    await answer(carol, `Renewals ${tag}`);

    const bar = carol.getByRole('region', { name: 'Campaign call' });
    await expect(bar).toContainText(`Campaign · Renewals ${tag}`);
    await expect(bar).toContainText(name);
    await bar.getByLabel('Result').selectOption('callback_requested');
    await expect(bar).toContainText('Saved');
    await screenshot(carol, 'desk-campaign-call-bar');

    // sipp hangs up; the dial is done and the agent's result stands.
    const result = async () => {
      const res = await sam.get(`/api/campaigns/${campaignId}/tasks`);
      const t = ((await res.json()).tasks as Array<{ id: number; status: string; result: string }>).find(
        (x) => x.id === taskId,
      );
      return `${t?.status} ${t?.result}`;
    };
    await expect.poll(result, { timeout: 30_000 }).toBe('done callback_requested');
    // The bar stays after the call until the agent closes it.
    await expect(bar).toBeVisible();
    await bar.getByRole('button', { name: 'Close' }).click();
    await expect(bar).toBeHidden();

    // The supervisor opens the campaign: its last hour has the one dial.
    await logIn(page, 'sam');
    await expect(page.getByTestId('current-user')).toBeVisible();
    await page.goto('/supervisor/campaigns');
    await page.getByRole('button', { name: `Renewals ${tag}` }).click();
    const lastHour = page.getByRole('region', { name: 'Last hour' });
    await expect(lastHour).toContainText('1 dial in the last hour');
    await expect(lastHour.locator('.recharts-bar-rectangle').first()).toBeVisible();
    await screenshot(page, 'supervisor-campaign-last-hour');
  } finally {
    customer?.kill();
    if (campaignId !== null) await sam.post(`/api/campaigns/${campaignId}/pause`);
    await carol?.context().close();
    if (trunkId !== null) await admin.delete(`/api/admin/trunks/${trunkId}`);
    await sam.dispose();
    await admin.dispose();
  }
});
