import { type Browser, expect, type Page } from '@playwright/test';
import { baseURL } from '../../playwright.config';

/** Records every RTCPeerConnection the page makes (in `__pcs`), for reading their audio stats. */
export async function capturePeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    type Ctor = new (...args: unknown[]) => object;
    const g = globalThis as unknown as { __pcs: object[]; RTCPeerConnection: Ctor };
    g.__pcs = [];
    const Native = g.RTCPeerConnection;
    g.RTCPeerConnection = class extends Native {
      constructor(...args: unknown[]) {
        super(...args);
        g.__pcs.push(this);
      }
    };
  });
}

/** Signs `page` in through the login form (the demo users' password is their username). */
export async function logIn(page: Page, username: string, password = username): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Resolves once the page's softphone is registered with the switch. */
export async function expectRegistered(page: Page): Promise<void> {
  await expect(page.getByTestId('softphone-status')).toHaveText('Registered', { timeout: 15_000 });
}

export interface DeskOptions {
  password?: string;
  /** Runs in every page of the context before the app (e.g. to stub browser APIs). */
  initScript?: () => void;
  /** Records the page's peer connections, for its audio stats. */
  capturePeerConnections?: boolean;
  /** What to wait for: the desk shown, or also its softphone registered (default). */
  until?: 'desk' | 'registered';
}

/** A new browser context for `username`, signed in; by default its softphone registered. */
export async function signIn(browser: Browser, username: string, options: DeskOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL, permissions: ['microphone', 'notifications'] });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  if (options.capturePeerConnections) await capturePeerConnections(page);
  await logIn(page, username, options.password);
  await expect(page.getByTestId('current-user')).toBeVisible();
  if (options.until !== 'desk') await expectRegistered(page);
  return page;
}

/** Puts the page's user Idle in all queues (free to take calls). */
export async function goIdle(page: Page): Promise<void> {
  const res = await page.request.put('/api/agents/me/state', { data: { status: 'idle' } });
  expect(res.status(), await res.text()).toBe(200);
}

/** Answers the incoming call on the page's answer bar and waits until it is in progress. */
export async function answer(page: Page, from?: string): Promise<void> {
  const incoming = page.getByRole('alertdialog', { name: 'Incoming call' });
  await expect(incoming).toBeVisible({ timeout: 10_000 });
  if (from) await expect(incoming).toContainText(from);
  await incoming.getByRole('button', { name: 'Answer' }).click();
  await expect(page.getByRole('region', { name: 'Call in progress' })).toContainText('In call', {
    timeout: 10_000,
  });
}

/** Ends the page's call from the answer bar. */
export async function hangUp(page: Page): Promise<void> {
  await page
    .getByRole('region', { name: 'Call in progress' })
    .getByRole('button', { name: 'Hang up' })
    .click();
}
