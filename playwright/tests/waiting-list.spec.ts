import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';
import { type SippProcess, startCallers } from './support/carrier';
import { goIdle, signIn } from './support/desk';
import { adminSession, createTestQueue } from './support/switch-setup';

const PREFIX = '+1202555017';
const caller = (n: number) => `${PREFIX}${n}`;

test('waiting list: callers in a queue nobody is idle in, latest on top, reordered by button, keyboard and drag, live for the supervisor', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const admin = await adminSession(playwright, baseURL);
  const queue = await createTestQueue(admin, { did: '5550121', members: ['alice'] });
  let callers: SippProcess | null = null;
  const pages: Page[] = [];
  try {
    const alice = await signIn(browser, 'alice');
    pages.push(alice);
    // Alice is paused in this queue, so its callers wait.
    const state = await (await alice.request.get('/api/agents/me/state')).json();
    const paused = await alice.request.put('/api/agents/me/state', {
      data: { status: 'paused', reason: state.pauseReasons[0], queueIds: [queue.queueId] },
    });
    expect(paused.status(), await paused.text()).toBe(200);
    const sam = await signIn(browser, 'sam', { until: 'desk' });
    pages.push(sam);

    const aliceList = alice.getByTestId(`waiting-queue-${queue.queueName}`);
    const samList = sam.getByTestId(`waiting-queue-${queue.queueName}`);
    await expect(aliceList.getByText('No calls waiting.')).toBeVisible();
    const order = (list: typeof aliceList) => list.getByTestId('waiting-caller');

    callers = await startCallers(queue, { calls: 3, everyMs: 1500, holdMs: 50_000, callerPrefix: PREFIX });

    // The latest arrival on top; the bottom call is served next.
    await expect(order(aliceList)).toHaveText([caller(3), caller(2), caller(1)], { timeout: 15_000 });
    await expect(order(samList)).toHaveText([caller(3), caller(2), caller(1)]);
    await expect(aliceList.getByTestId('waiting-position')).toHaveText(['#3', '#2', 'Next']);

    // The wait ticks every second without a refresh.
    const firstWait = aliceList.getByTestId('waiting-time').last();
    const before = await firstWait.textContent();
    await expect(firstWait).not.toHaveText(before ?? '', { timeout: 3000 });

    // Button: serve caller 3 sooner → one row down; the supervisor sees it live.
    const row = (list: typeof aliceList, n: number) =>
      list.getByTestId('waiting-call').filter({ hasText: caller(n) });
    await row(aliceList, 3)
      .getByRole('button', { name: /sooner/ })
      .click();
    await expect(order(aliceList)).toHaveText([caller(2), caller(3), caller(1)]);
    await expect(order(samList)).toHaveText([caller(2), caller(3), caller(1)]);

    // Keyboard: focus caller 1's row, Alt+↑ twice (served later, twice); focus stays on the row.
    await row(aliceList, 1).focus();
    await alice.keyboard.press('Alt+ArrowUp');
    await expect(order(aliceList)).toHaveText([caller(2), caller(1), caller(3)]);
    await expect(row(aliceList, 1)).toBeFocused();
    await alice.keyboard.press('Alt+ArrowUp');
    await expect(order(aliceList)).toHaveText([caller(1), caller(2), caller(3)]);
    await expect(order(samList)).toHaveText([caller(1), caller(2), caller(3)]);
    await expect(samList.getByTestId('waiting-position')).toHaveText(['#3', '#2', 'Next']);

    // Drag and drop (the supervisor): caller 1 dropped on the bottom row → served next.
    await row(samList, 1).dragTo(row(samList, 3));
    await expect(order(samList)).toHaveText([caller(2), caller(3), caller(1)]);
    await expect(order(aliceList)).toHaveText([caller(2), caller(3), caller(1)]);

    // Alt+End serves the focused call next.
    await row(aliceList, 2).focus();
    await alice.keyboard.press('Alt+End');
    await expect(order(aliceList)).toHaveText([caller(3), caller(1), caller(2)]);
    await expect(order(samList)).toHaveText([caller(3), caller(1), caller(2)]);

    // The supervisor's "Send to agent" lists the queue's agents; Alice is paused here, so not offered.
    await row(samList, 2)
      .getByRole('button', { name: /Send .* to an agent/ })
      .click();
    const dialog = sam.getByRole('dialog', { name: 'Send to agent' });
    await expect(dialog.getByRole('listitem').filter({ hasText: 'Alice' })).toContainText('Paused here');
    await expect(dialog.getByRole('button', { name: 'Send to Alice' })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();

    await screenshot(alice, 'desk-waiting-list');

    // The callers hang up: their rows leave both desks.
    expect(await callers.exited, callers.output).toBe(0);
    await expect(aliceList.getByTestId('waiting-call')).toHaveCount(0, { timeout: 10_000 });
    await expect(samList.getByTestId('waiting-call')).toHaveCount(0);
    await expect(aliceList.getByText('No calls waiting.')).toBeVisible();
  } finally {
    callers?.kill();
    for (const p of pages) await p.context().close();
    await queue.cleanup();
    await admin.dispose();
  }
});

test('waiting list: a supervisor sends a ringing call to another idle agent of the queue', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const admin = await adminSession(playwright, baseURL);
  const queue = await createTestQueue(admin, { did: '5550124', members: ['alice', 'bob'] });
  let callers: SippProcess | null = null;
  const pages: Page[] = [];
  try {
    const agents: Record<string, Page> = {};
    for (const name of ['alice', 'bob']) {
      const page = await signIn(browser, name);
      pages.push(page);
      await goIdle(page);
      agents[name] = page;
    }
    const sam = await signIn(browser, 'sam', { until: 'desk' });
    pages.push(sam);
    const samList = sam.getByTestId(`waiting-queue-${queue.queueName}`);
    // Each card counts the other agent going idle too, live (alice's page loaded before bob was idle).
    for (const page of [agents.alice!, agents.bob!, sam])
      await expect(page.getByTestId(`waiting-queue-${queue.queueName}`)).toContainText('2 agents available');

    callers = await startCallers(queue, {
      calls: 1,
      everyMs: 1000,
      holdMs: 30_000,
      callerPrefix: '+1202555039',
    });
    const row = samList.getByTestId('waiting-call').filter({ hasText: '+12025550391' });
    await expect(row).toContainText('Ringing an agent', { timeout: 10_000 });

    // Whoever the queue rings first, the supervisor sends the call to the other one.
    const incoming = (p: Page) => p.getByRole('alertdialog', { name: 'Incoming call' });
    await expect
      .poll(async () => (await incoming(agents.alice!).count()) + (await incoming(agents.bob!).count()), {
        timeout: 10_000,
      })
      .toBe(1);
    const [first, other, otherName] = (await incoming(agents.alice!).count())
      ? [agents.alice!, agents.bob!, 'Bob']
      : [agents.bob!, agents.alice!, 'Alice'];
    await row.getByRole('button', { name: /Send .* to an agent/ }).click();
    const dialog = sam.getByRole('dialog', { name: 'Send to agent' });
    await dialog.getByRole('button', { name: `Send to ${otherName}` }).click();
    await expect(dialog).toBeHidden();
    await expect(incoming(other)).toBeVisible({ timeout: 10_000 });
    await expect(incoming(first)).toBeHidden({ timeout: 10_000 });

    // The chosen agent answers; the call leaves the waiting list on every desk.
    await incoming(other).getByRole('button', { name: 'Answer' }).click();
    await expect(other.getByRole('region', { name: 'Call in progress' })).toBeVisible({ timeout: 10_000 });
    await expect(samList.getByTestId('waiting-call')).toHaveCount(0);
    expect(await callers.exited, callers.output).toBe(0);
  } finally {
    callers?.kill();
    for (const p of pages) await p.context().close();
    await queue.cleanup();
    await admin.dispose();
  }
});
