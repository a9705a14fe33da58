import { expect, type Page, test } from '@playwright/test';
import { expectAudioArriving, startCarrier, startOutsideParty } from './call-control-helpers';
import { screenshot } from './screenshots';
import { freeMediaPorts, freePort, type SippProcess } from './support/carrier';
import { answer, goIdle, hangUp, signIn } from './support/desk';
import { adminSession, carrierRoute } from './support/switch-setup';

/**
 * Two agents in two browser contexts: alice and bob (sales) on the desk, a customer
 * calls the sales queue through a sipp carrier, the first agent to go Idle answers, consults
 * supervisor sam (a third context), conferences and completes the transfer; the waiting list and
 * the recent calls follow live.
 */
const DID = '5550179';
/** A caller of its own, so the recent-calls rows of this test are recognisable. */
const CALLER = '+12025550188';

async function pause(page: Page): Promise<void> {
  const state = (await (await page.request.get('/api/agents/me/state')).json()) as { pauseReasons: string[] };
  const reason = state.pauseReasons[0];
  expect(reason, 'a pause reason is configured').toBeTruthy();
  const res = await page.request.put('/api/agents/me/state', { data: { status: 'paused', reason } });
  expect(res.status(), await res.text()).toBe(200);
}

function waitingList(page: Page) {
  return page.getByTestId('waiting-queue-sales');
}

function recentCalls(page: Page) {
  return page.locator('section').filter({ has: page.getByRole('heading', { name: 'Recent calls' }) });
}

test('two agents: the queue call waits, alice goes Idle and answers, consults sam, conference, transfer; lists update live', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const admin = await adminSession(playwright, baseURL);
  const { queues } = (await (await admin.get('/api/admin/queues')).json()) as {
    queues: Array<{ id: number; name: string }>;
  };
  const sales = queues.find((q) => q.name === 'sales');
  expect(sales, 'the demo queue "sales"').toBeTruthy();
  const carrierPort = await freePort();
  const route = await carrierRoute(admin, carrierPort, DID, {
    targetType: 'queue',
    targetId: String(sales!.id),
  });
  let carrier: SippProcess | null = null;
  const contexts: Array<{ close(): Promise<void> }> = [];
  try {
    // alice and bob on the desk, both paused: the call has to wait.
    const alice = await signIn(browser, 'alice', { capturePeerConnections: true });
    contexts.push(alice.context());
    const bob = await signIn(browser, 'bob', { capturePeerConnections: true });
    contexts.push(bob.context());
    await pause(alice);
    await pause(bob);
    await expect(waitingList(bob)).toContainText('No calls waiting.');
    const aliceRecent = recentCalls(alice).getByText(CALLER);
    await expect(aliceRecent).toHaveCount(0);

    carrier = await startCarrier(DID, carrierPort, { caller: CALLER });
    // Both see the caller waiting, live.
    for (const page of [alice, bob])
      await expect(waitingList(page).getByTestId('waiting-caller')).toHaveText(CALLER, { timeout: 10_000 });

    // alice goes Idle from the state module: she is offered the call and answers it.
    await alice.getByRole('button', { name: 'Go idle' }).click();
    await answer(alice, CALLER);
    await expectAudioArriving(alice, 'customer → alice');
    // The call left the waiting list on bob's page without a reload.
    await expect(waitingList(bob)).toContainText('No calls waiting.');
    const panel = alice.getByRole('region', { name: 'Current call' });
    await expect(panel.getByTestId('current-call-party')).toHaveText(CALLER);
    await expect(panel).toContainText('Queue sales');

    // sam (supervisor) comes online and consults.
    const sam = await signIn(browser, 'sam', { capturePeerConnections: true });
    contexts.push(sam.context());
    await goIdle(sam);
    await panel.getByRole('button', { name: 'Consult' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Consult' });
    await dialog.getByRole('button', { name: 'Call Sam' }).click();
    await answer(sam);
    const status = dialog.getByRole('status').first();
    await expect(status).toContainText('You are talking to Sam');
    await dialog.getByRole('button', { name: 'Conference' }).click();
    await expect(status).toContainText('Conference: you, the customer and Sam');
    await expectAudioArriving(alice, 'conference → alice');
    await expectAudioArriving(sam, 'conference → sam');
    await screenshot(alice, 'call-control-two-agents-conference');

    await dialog.getByRole('button', { name: 'Transfer' }).click();
    await expect(alice.getByTestId('call-control-notice')).toHaveText('Call transferred to Sam.');
    await expect(
      sam.getByRole('region', { name: 'Current call' }).getByTestId('current-call-party'),
    ).toHaveText(CALLER);
    // The call bar names the same party as the panel (sam's phone was rung by alice), one timer.
    await expect(sam.getByRole('region', { name: 'Call in progress' }).getByTestId('call-party')).toHaveText(
      CALLER,
    );
    await expect(sam.getByRole('timer', { name: 'Call duration' })).toHaveCount(1);
    // alice's recent calls show the call she handed on, without a reload.
    await expect(aliceRecent.first()).toBeVisible();

    await hangUp(sam);
    expect(await carrier.exited, carrier.output).toBe(0);
  } finally {
    carrier?.kill();
    for (const c of contexts) await c.close();
    await route.remove();
    await admin.dispose();
  }
});

test('alice consults bob, an agent of her queue, then transfers: bob has the customer, bar and panel agree', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const admin = await adminSession(playwright, baseURL);
  const carrierPort = await freePort();
  const route = await carrierRoute(admin, carrierPort, DID, { targetType: 'extension', targetId: '1001' });
  let carrier: SippProcess | null = null;
  const contexts: Array<{ close(): Promise<void> }> = [];
  try {
    const alice = await signIn(browser, 'alice', { capturePeerConnections: true });
    contexts.push(alice.context());
    const bob = await signIn(browser, 'bob', { capturePeerConnections: true });
    contexts.push(bob.context());
    await goIdle(alice);
    await goIdle(bob);

    carrier = await startCarrier(DID, carrierPort, { caller: CALLER });
    await answer(alice, CALLER);
    const panel = alice.getByRole('region', { name: 'Current call' });
    await panel.getByRole('button', { name: 'Consult' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Consult' });
    // Agents are there to consult, under their group; the dialog does not say "supervisor".
    const agents = dialog.getByRole('list', { name: "This queue's agents" });
    await expect(agents).toContainText('Bob');
    await expect(dialog).not.toContainText('Consult a supervisor');
    await screenshot(alice, 'call-control-consult-agents');
    await agents.getByRole('button', { name: 'Call Bob' }).click();
    await answer(bob);
    const status = dialog.getByRole('status').first();
    await expect(status).toContainText('You are talking to Bob');
    await expect(alice.getByRole('dialog', { name: 'Consult Bob' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    await expect(alice.getByTestId('call-control-notice')).toHaveText('Call transferred to Bob.');

    await expect(
      bob.getByRole('region', { name: 'Current call' }).getByTestId('current-call-party'),
    ).toHaveText(CALLER);
    await expect(bob.getByRole('region', { name: 'Call in progress' }).getByTestId('call-party')).toHaveText(
      CALLER,
    );
    await expectAudioArriving(bob, 'customer → bob');
    await hangUp(bob);
    expect(await carrier.exited, carrier.output).toBe(0);
  } finally {
    carrier?.kill();
    for (const c of contexts) await c.close();
    await route.remove();
    await admin.dispose();
  }
});

test("blind transfers to this queue's agent (alice → bob) and to another queue's agent (bob → carol, under Others)", async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const admin = await adminSession(playwright, baseURL);
  const carrierPort = await freePort();
  const route = await carrierRoute(admin, carrierPort, DID, { targetType: 'extension', targetId: '1001' });
  let carrier: SippProcess | null = null;
  const contexts: Array<{ close(): Promise<void> }> = [];
  try {
    const agents: Record<'alice' | 'bob' | 'carol', Page> = {} as never;
    for (const name of ['alice', 'bob', 'carol'] as const) {
      const s = await signIn(browser, name, { capturePeerConnections: true });
      contexts.push(s.context());
      await goIdle(s);
      agents[name] = s;
    }

    carrier = await startCarrier(DID, carrierPort, { caller: CALLER });
    await answer(agents.alice, CALLER);
    const transferFrom = async (page: Page, group: string, to: RegExp) => {
      await page
        .getByRole('region', { name: 'Current call' })
        .getByRole('button', { name: 'Transfer' })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Transfer the call' });
      const radio = dialog.getByRole('group', { name: group }).getByRole('radio', { name: to });
      await expect(radio).toBeEnabled();
      await radio.check();
      await dialog.getByRole('button', { name: 'Transfer' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByRole('region', { name: 'Call ended' })).toBeVisible();
    };

    await transferFrom(agents.alice, "This queue's agents", /Bob/);
    await answer(agents.bob, CALLER);
    await expectAudioArriving(agents.bob, 'customer → bob');

    await transferFrom(agents.bob, 'Others', /Carol/);
    await answer(agents.carol, CALLER);
    await expectAudioArriving(agents.carol, 'customer → carol');
    await expect(
      agents.carol.getByRole('region', { name: 'Current call' }).getByTestId('current-call-party'),
    ).toHaveText(CALLER);

    await hangUp(agents.carol);
    expect(await carrier.exited, carrier.output).toBe(0);
  } finally {
    carrier?.kill();
    for (const c of contexts) await c.close();
    await route.remove();
    await admin.dispose();
  }
});

test('blind transfer to an outside number: typed formatted, the carrier is dialled in E.164 and the customer is bridged to it', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const admin = await adminSession(playwright, baseURL);
  // The outbound trunk first: the switch dials out on the first trunk that is up.
  const outsidePort = await freePort();
  const outside = await startOutsideParty(outsidePort, await freeMediaPorts(), '+12025550199', 2000);
  const outboundTrunk = await admin.post('/api/admin/trunks', {
    data: { name: `e2e-outside-${outsidePort}`, uri: `sip:127.0.0.1:${outsidePort}` },
  });
  expect(outboundTrunk.status(), await outboundTrunk.text()).toBe(201);
  const outboundTrunkId = (await outboundTrunk.json()).id as number;
  const carrierPort = await freePort();
  const route = await carrierRoute(admin, carrierPort, DID, { targetType: 'extension', targetId: '1001' });
  let carrier: SippProcess | null = null;
  const contexts: Array<{ close(): Promise<void> }> = [];
  try {
    const alice = await signIn(browser, 'alice', { capturePeerConnections: true });
    contexts.push(alice.context());
    await goIdle(alice);
    carrier = await startCarrier(DID, carrierPort, { caller: CALLER });
    await answer(alice, CALLER);

    await alice
      .getByRole('region', { name: 'Current call' })
      .getByRole('button', { name: 'Transfer' })
      .click();
    const dialog = alice.getByRole('dialog', { name: 'Transfer the call' });
    await dialog.getByLabel('Outside number', { exact: true }).fill('+1 (202) 555-0199');
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    await expect(dialog).toBeHidden();
    await expect(alice.getByRole('region', { name: 'Call ended' })).toBeVisible();

    // The outside party answers, talks, and hangs up: the customer's call ends cleanly with it.
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(await outside.exited, outside.output).toBe(0);
  } finally {
    carrier?.kill();
    outside.kill();
    for (const c of contexts) await c.close();
    await route.remove();
    await admin.delete(`/api/admin/trunks/${outboundTrunkId}`);
    await admin.dispose();
  }
});
