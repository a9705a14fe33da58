import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freeMediaPorts, freePort, type SippProcess, startSipp } from '@switchboard/test-support';
import { callerScenarioXml, typeDigits } from '../../apps/server/test/sipp/caller-scenario';
import { sipPort } from '../playwright.config';
import { screenshot } from './screenshots';
import { logIn } from './support/desk';
import { adminSession } from './support/switch-setup';

const DID = '5550190';
const CALLER = '+12025550190';

test('an admin builds a flow in the editor (menu → queue / callback), publishes it, routes a number to it, and a carrier call follows it', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const admin = await adminSession(playwright, baseURL);
  const carrierPort = await freePort();
  const undo: Array<() => Promise<unknown>> = [];
  let caller: SippProcess | null = null;
  try {
    // The carrier's trunk (its calls are accepted from it) and a queue of the test's own, without agents.
    const trunk = await admin.post('/api/admin/trunks', {
      data: { name: `e2e-flow-carrier-${carrierPort}`, uri: `sip:127.0.0.1:${carrierPort}` },
    });
    expect(trunk.status(), await trunk.text()).toBe(201);
    const trunkId = (await trunk.json()).id as number;
    undo.push(() => admin.delete(`/api/admin/trunks/${trunkId}`));
    const queueName = `e2e-flow-${carrierPort}`;
    const queue = await admin.post('/api/admin/queues', { data: { name: queueName, maxWaitS: 600 } });
    expect(queue.status(), await queue.text()).toBe(201);
    const queueId = (await queue.json()).id as number;

    // An uploaded greeting in the sound library, for the menu to play.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-flow-'));
    const wav = path.join(dir, 'greeting.wav');
    execFileSync('sox', ['-n', '-r', '16000', wav, 'synth', '0.8', 'sine', '440']);
    const soundName = `e2e greeting ${carrierPort}`;
    const sound = await admin.post('/api/admin/sounds', {
      multipart: {
        file: { name: 'greeting.wav', mimeType: 'audio/wav', buffer: readFileSync(wav) },
        name: soundName,
        folder: 'flows',
      },
    });
    expect(sound.status(), await sound.text()).toBe(201);

    // The editor: a new flow.
    const flowName = `E2E menu ${carrierPort}`;
    await logIn(page, 'admin');
    await page.getByRole('link', { name: 'Call flows' }).click();
    await expect(page.getByRole('link', { name: 'Main menu' })).toBeVisible();
    await page.getByLabel('New flow name').fill(flowName);
    await page.getByRole('button', { name: 'Create flow' }).click();
    await expect(page.getByRole('heading', { name: flowName })).toBeVisible();
    await expect(page.getByTestId('flow-status')).toContainText('Not published');

    const add = async (type: string) => {
      await page.getByLabel('Component', { exact: true }).selectOption({ label: type });
      await page.getByRole('button', { name: 'Add', exact: true }).click();
    };
    const panel = page.getByTestId('component-settings');
    const exit = (name: string) => panel.getByLabel(`Exit ${name} leads to`);

    // A menu offering 1 and 2 (the first component is where calls start).
    await add('Menu');
    await expect(page.getByTestId('flow-node-menu-1')).toContainText('START');
    await panel.getByLabel('Keys offered').fill('12');
    // Its prompt: the uploaded greeting, among the built-in prompts and the library's sounds.
    await panel.getByLabel('Prompts 1', { exact: true }).selectOption({ label: `${soundName} (0.8 s)` });
    await panel.getByLabel('Attempts').fill('1');
    // The side panel checks settings with the shared schema as they are typed.
    await panel.getByLabel('Timeout (s)').fill('0');
    await expect(panel.getByText('Timeout: at least 1 s', { exact: true })).toBeVisible();
    await panel.getByLabel('Timeout (s)').fill('8');
    await expect(panel.getByText('Timeout: at least 1 s', { exact: true })).toHaveCount(0);

    await add('Queue');
    await panel.getByLabel('Queue', { exact: true }).selectOption({ label: queueName });
    await add('Callback');
    await expect(panel.getByLabel('Method')).toHaveValue('caller');
    await panel.getByLabel('Delay (s)').fill('5');
    await add('Hang up');

    // Exits, from the side panel (the keyboard way; dragging from an exit on the canvas does the same).
    await page.getByTestId('flow-node-callback-1').click();
    await exit('next').selectOption({ label: 'Queue 1' });
    await page.getByTestId('flow-node-queue-1').click();
    await exit('full').selectOption({ label: 'Hang up 1' });
    // Its own max wait (checked as typed) leads on in the flow; no agents stays the queue's own rule.
    await panel.getByLabel('Max wait (s)').fill('0');
    await expect(panel.getByText('Max wait: at least 1 s', { exact: true })).toBeVisible();
    await panel.getByLabel('Max wait (s)').fill('120');
    await expect(exit('no agents').locator('option:checked')).toHaveText("The queue's own rule");
    await exit('max wait').selectOption({ label: 'Hang up 1' });
    await expect(page.getByTestId('flow-node-queue-1')).toContainText('no agents');
    await screenshot(page, 'call-flow-queue-exits');
    await page.getByTestId('flow-node-menu-1').click();
    await expect(page.getByRole('heading', { name: /problem/ })).toBeVisible();
    await exit('key 1').selectOption({ label: 'Queue 1' });
    await exit('key 2').selectOption({ label: 'Callback 1' });
    await exit('timeout').selectOption({ label: 'Hang up 1' });
    await exit('invalid').selectOption({ label: 'Hang up 1' });
    await expect(page.getByRole('heading', { name: 'Ready to publish' })).toBeVisible();
    // Every exit is an edge on the canvas.
    await expect(page.locator('.react-flow__edge')).toHaveCount(7);

    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page.getByText('Published version 1.')).toBeVisible();
    await expect(page.getByTestId('flow-status')).toContainText('Published version 1');
    await expect(page.getByRole('region', { name: 'Versions' })).toContainText('Version 1 (live)');
    await screenshot(page, 'call-flow-editor');

    // Route the number to the flow on the routing page.
    await page.getByRole('link', { name: 'Queues & routes' }).click();
    const routes = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add route' }) });
    await routes.getByLabel('Number').fill(DID);
    await routes.getByLabel('Target').selectOption('flow');
    await routes.getByLabel('Call flow').selectOption({ label: flowName });
    await routes.getByRole('button', { name: 'Add route' }).click();
    const row = page.getByRole('row').filter({ hasText: DID });
    await expect(row).toContainText(`Call flow ${flowName}`);
    const listed = (await (await admin.get('/api/admin/inbound-routes')).json()) as {
      inboundRoutes: Array<{ id: number; number: string }>;
    };
    const routeId = listed.inboundRoutes.find((r) => r.number === DID)!.id;
    undo.push(() => admin.delete(`/api/admin/inbound-routes/${routeId}`));

    // A carrier call presses 1 and ends up waiting in the test's queue.
    const scenario = path.join(dir, 'caller.xml');
    writeFileSync(
      scenario,
      callerScenarioXml({ caller: CALLER, afterAnswer: typeDigits('1', 1500), hangUpAfterMs: 9000 }),
    );
    caller = await startSipp({
      scenario,
      transport: 'udp',
      remote: `127.0.0.1:${sipPort}`,
      port: carrierPort,
      timeoutMs: 40_000,
      args: ['-s', DID, '-m', '1', '-mi', '127.0.0.1', '-mp', String(await freeMediaPorts()), '-trace_err'],
    });
    await expect
      .poll(
        async () => {
          const waiting = (await (await admin.get(`/api/queues/${queueId}/waiting`)).json()) as {
            calls: Array<{ callerNumber: string }>;
          };
          return waiting.calls.map((c) => c.callerNumber);
        },
        { timeout: 20_000 },
      )
      .toEqual([CALLER]);
    expect(await caller.exited, caller.output).toBe(0);

    // Back in the editor, today's counts of version 1 are on the canvas: the menu and its key 1 exit.
    await page.getByRole('link', { name: 'Call flows' }).click();
    await page.getByRole('link', { name: flowName }).click();
    await expect(page.getByTestId('flow-node-menu-1')).toContainText('1 today');
    await expect(page.getByText('key 1 · 1 today')).toBeVisible();
    await expect(page.getByTestId('flow-counts-total')).toContainText('1 started');
    await screenshot(page, 'call-flow-counts');
    // The sound the published flow plays cannot be deleted from under it.
    const refused = await admin.delete(`/api/admin/sounds/${(await sound.json()).id}`);
    expect(refused.status()).toBe(409);
  } finally {
    caller?.kill();
    for (const step of undo.reverse()) await step();
    await admin.dispose();
  }
});

test('a supervisor sees the demo "Main menu" read-only', async ({ page }) => {
  await logIn(page, 'sam');
  await page.getByRole('link', { name: 'Call flows' }).click();
  await page.getByRole('link', { name: 'Main menu' }).click();
  await expect(page.getByTestId('flow-status')).toContainText('Published version 1 · on 5550102 · read-only');
  await expect(page.locator('.react-flow__node')).toHaveCount(9);
  await expect(page.getByRole('button', { name: 'Publish' })).toHaveCount(0);
  await page.getByTestId('flow-node-menu').click();
  const panel = page.getByTestId('component-settings');
  await expect(panel.getByLabel('Keys offered')).toHaveValue('123');
  await expect(panel.getByLabel('Keys offered')).toBeDisabled();
  await expect(panel.getByLabel('Exit key 3 leads to')).toHaveValue('callback-notice');
  await screenshot(page, 'call-flow-main-menu');
});
