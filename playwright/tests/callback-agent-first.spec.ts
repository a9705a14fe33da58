import { expect, test } from '@playwright/test';
import { startSipp } from '@switchboard/test-support';
import { customerHangsUp } from '../../apps/server/test/sipp/uas-scenario';
import { screenshot } from './screenshots';
import { freeMediaPorts, freePort, type SippProcess } from './support/carrier';
import { signIn } from './support/desk';
import { addTrunkUp, adminSession } from './support/switch-setup';

// An agent-first callback with the agent on the web softphone (sip.js in Chromium): when the plan
// comes due the agent's phone rings and the desk pops the customer window with the plan's note;
// the agent answers, the customer (sipp behind a test trunk) is dialled, answers, and the plan is done.
test('agent first: the desk pops the customer window with the plan’s note as the phone rings', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const admin = await adminSession(playwright, baseURL);
  const before = (await (await admin.get('/api/dialer/policy')).json()).policy;
  let customer: SippProcess | null = null;
  let trunkId: number | null = null;
  const alice = await signIn(browser, 'alice');
  try {
    // Calling hours all day, so the test does not depend on the hour it runs at.
    const policy = await admin.put('/api/dialer/policy', {
      data: { ...before, callingHours: { from: '00:00', to: '00:00' }, ringSeconds: 60 },
    });
    expect(policy.status(), await policy.text()).toBe(200);
    const port = await freePort();
    customer = await startSipp({
      scenario: customerHangsUp(6000),
      transport: 'udp',
      port,
      timeoutMs: 90_000,
      // -aa: the trunk's OPTIONS keep-alives are answered (each counts as one of sipp's calls).
      args: ['-aa', '-m', '50', '-mi', '127.0.0.1', '-mp', String(await freeMediaPorts()), '-trace_err'],
    });
    trunkId = await addTrunkUp(admin, `e2e-callback-${port}`, port);

    const name = `Agent First ${Date.now().toString(36)}`;
    const created = await alice.request.post('/api/customers', {
      data: { name, phones: ['+1 202 555 0163'] },
    });
    expect(created.status(), await created.text()).toBe(201);
    const c = (await created.json()).customer as { id: number; phones: { id: number }[] };
    const popped = alice.context().waitForEvent('page', { timeout: 30_000 });
    const plan = await alice.request.post('/api/callback-plans', {
      data: {
        customerId: c.id,
        phoneId: c.phones[0]!.id,
        dueAt: new Date().toISOString(),
        mode: 'agent_first',
        note: 'Promised the renewal quote by phone',
      },
    });
    expect(plan.status(), await plan.text()).toBe(201);
    const planId = (await plan.json()).plan.id as number;

    // The phone rings and the customer window pops; the agent answers, which dials the customer.
    const win = await popped;
    const incoming = alice.getByRole('alertdialog', { name: 'Incoming call' });
    await expect(incoming).toContainText('Callback', { timeout: 20_000 });
    await incoming.getByRole('button', { name: 'Answer' }).click();
    await expect(alice.getByRole('region', { name: 'Call in progress' })).toBeVisible({ timeout: 20_000 });

    // The window shows the plan's note and the customer.
    await win.waitForLoadState();
    const url = new URL(win.url());
    expect(url.pathname).toBe('/desk/customer-window');
    expect(url.searchParams.get('planId')).toBe(String(planId));
    await expect(win.getByTestId('callback-plan-note')).toContainText('Promised the renewal quote by phone');
    await expect(win.getByTestId('customer-window-customer')).toContainText(name);
    await screenshot(win, 'customer-window-agent-first-callback');

    // sipp answers, talks, hangs up: the plan is done with one answered attempt.
    const attempts = async () =>
      (await (await alice.request.get(`/api/callback-plans/${planId}`)).json()).plan.attempts as Array<{
        outcome: string;
      }>;
    await expect.poll(async () => (await attempts()).length, { timeout: 45_000 }).toBe(1);
    expect(
      (await attempts()).map((a) => a.outcome),
      customer.output,
    ).toEqual(['answered']);
    const done = await alice.request.get(`/api/callback-plans/${planId}`);
    expect((await done.json()).plan.status).toBe('done');
  } finally {
    customer?.kill();
    await alice.context().close();
    if (trunkId !== null) await admin.delete(`/api/admin/trunks/${trunkId}`);
    await admin.put('/api/dialer/policy', { data: before });
    await admin.dispose();
  }
});
