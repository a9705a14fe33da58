import { type APIRequestContext, type Browser, expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';
import { type SippProcess, startCallers } from './support/carrier';
import { answer, goIdle, signIn } from './support/desk';
import { adminSession, createTestQueue, type TestQueue } from './support/switch-setup';

/** `YYYY-MM-DDTHH:mm` (a datetime-local value) of `ms` in `timeZone`. */
function localInput(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

const masking = (mode: 'off' | 'partial') => ({
  numberMasking: { mode, keepFirst: 2, keepLast: 2, exemptSupervisors: true },
});

/** The agent signed in, registered and Idle, ready for the queue's call. */
async function idleAgent(browser: Browser, username: string, initScript?: () => void): Promise<Page> {
  const page = await signIn(browser, username, { initScript });
  await goIdle(page);
  await expect(page.getByTestId('agent-state')).toContainText('Idle');
  return page;
}

let admin: APIRequestContext;
test.beforeEach(async ({ playwright, baseURL }) => {
  admin = await adminSession(playwright, baseURL);
});
test.afterEach(async () => {
  await admin.dispose();
});

test('screen pop: a queue call opens the customer window with the masked caller; the agent saves the customer and a callback plan', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const queue: TestQueue = await createTestQueue(admin, { did: '5550122', members: ['bob'] });
  let callers: SippProcess | null = null;
  let bob: Page | null = null;
  let sam: Page | null = null;
  try {
    // Agents see numbers masked: the window must save the caller by reference to the call.
    expect((await admin.put('/api/admin/settings', { data: masking('partial') })).status()).toBe(200);
    bob = await idleAgent(browser, 'bob');
    // A supervisor sees every agent's call events live, but only their own calls pop a window.
    sam = await signIn(browser, 'sam', { until: 'desk' });
    const popped = bob.context().waitForEvent('page');
    callers = await startCallers(queue, {
      calls: 1,
      everyMs: 1000,
      holdMs: 30_000,
      callerPrefix: '+1202555019',
    });

    // Offered (still ringing): the window is already there with the caller.
    const win = await popped;
    await win.waitForLoadState();
    expect(new URL(win.url()).pathname).toBe('/desk/customer-window');
    await expect(win.getByTestId('customer-window-caller')).toHaveText('+12*******91');
    await expect(win.getByRole('form', { name: 'New customer' })).toBeVisible();
    await expect(win.getByLabel('Phone number')).toHaveValue('+12*******91');

    // Answering does not open a second window.
    await answer(bob);
    expect(bob.context().pages()).toHaveLength(2);

    // Save the new customer: the window shows them with the call history.
    await win.getByLabel('Name').fill('Pop Up Caller');
    await win.getByLabel('Company').fill('Queue Ltd');
    await win.getByRole('button', { name: 'Save customer' }).click();
    const customer = win.getByTestId('customer-window-customer');
    await expect(customer).toContainText('Pop Up Caller');
    await expect(customer).toContainText('+12*******91');
    await expect(win.getByRole('table', { name: 'Recent calls with Pop Up Caller' })).toContainText(
      queue.queueName,
    );

    // A callback plan one minute from now, in bob's time zone.
    const me = await (await bob.request.get('/api/auth/me')).json();
    const timeZone = (me.user?.timeZone ?? me.timeZone) as string;
    const dueAt = Date.now() + 60_000;
    const plan = win.getByRole('form', { name: 'Callback plan' });
    await plan.getByLabel('Call back at').fill(localInput(dueAt, timeZone));
    await plan.getByLabel('Note (optional)').fill('Wants a quote');
    await plan.getByRole('button', { name: 'Plan callback' }).click();
    await expect(plan.getByText('Callback planned.')).toBeVisible();
    await screenshot(win, 'customer-window');
    expect(sam.context().pages()).toHaveLength(1);

    // Stored: the real number (a supervisor sees it unmasked), the plan due in about a minute.
    const found = await admin.get('/api/customers?q=Pop%20Up%20Caller');
    const saved = (await found.json()).customers[0];
    expect(saved.phones.map((p: { number: string }) => p.number)).toEqual(['+12025550191']);
    const plans = await (await bob.request.get(`/api/callback-plans?customerId=${saved.id}`)).json();
    expect(plans.plans).toHaveLength(1);
    expect(plans.plans[0].note).toBe('Wants a quote');
    expect(Math.abs(plans.plans[0].dueAt - dueAt)).toBeLessThan(61_000);
    // Not left to come due during later tests.
    await bob.request.patch(`/api/callback-plans/${plans.plans[0].id}`, { data: { status: 'cancelled' } });

    expect(await callers.exited, callers.output).toBe(0);
  } finally {
    callers?.kill();
    await bob?.context().close();
    await sam?.context().close();
    await admin.put('/api/admin/settings', { data: masking('off') });
    await queue.cleanup();
  }
});

test('screen pop blocked (a supervisor taking a queue call): the desk explains it and its button opens the customer window', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const queue = await createTestQueue(admin, { did: '5550123', members: ['sam'] });
  let callers: SippProcess | null = null;
  let sam: Page | null = null;
  try {
    // A supervisor who takes queue calls (their own, told apart from the agents' events they also
    // receive), in a browser that blocks pop-ups not opened by a click: window.open answers null for the live event.
    sam = await idleAgent(browser, 'sam', () => {
      type Open = (...args: unknown[]) => unknown;
      const g = globalThis as unknown as { open: Open };
      const open = g.open.bind(globalThis);
      let blocked = false;
      g.open = (...args: unknown[]) => {
        if (!blocked) {
          blocked = true;
          return null;
        }
        return open(...args);
      };
    });
    callers = await startCallers(queue, {
      calls: 1,
      everyMs: 1000,
      holdMs: 20_000,
      callerPrefix: '+1202555029',
    });

    const notice = sam.getByRole('alert').filter({ hasText: 'The customer window was blocked' });
    await expect(notice).toBeVisible({ timeout: 10_000 });
    await expect(notice).toContainText('Always allow pop-ups from');
    await screenshot(sam, 'desk-screen-pop-blocked');
    await answer(sam);
    expect(sam.context().pages()).toHaveLength(1);

    const popped = sam.context().waitForEvent('page');
    await notice.getByRole('button', { name: 'Open customer window' }).click();
    const win = await popped;
    await expect(win.getByTestId('customer-window-caller')).toHaveText('+12025550291');
    await expect(notice).toBeHidden();
    expect(await callers.exited, callers.output).toBe(0);
  } finally {
    callers?.kill();
    await sam?.context().close();
    await queue.cleanup();
  }
});
