import { expect, type Page, test } from '@playwright/test';
import { screenshot } from './screenshots';
import { freePort, type SippProcess, startCarrier } from './support/carrier';
import { answer, expectRegistered, hangUp, logIn } from './support/desk';
import { adminSession, carrierRoute } from './support/switch-setup';

const DID = '5550193';

/** A mark on the page's window: gone once the page is loaded again. */
function markPage(page: Page, mark: string) {
  return page.evaluate((m) => {
    (globalThis as unknown as Record<string, boolean>)[m] = true;
  }, mark);
}
function pageHasMark(page: Page, mark: string) {
  return page.evaluate((m) => (globalThis as unknown as Record<string, boolean>)[m] === true, mark);
}

test('a drained node moves its desk once the call ends, and only once: back on the same node it says so', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const carrierPort = await freePort();
  const admin = await adminSession(playwright, baseURL);
  const route = await carrierRoute(admin, carrierPort, DID, { targetType: 'extension', targetId: '1001' });
  let carrier: SippProcess | null = null;
  try {
    await logIn(page, 'alice');
    await expectRegistered(page);
    // The call is up before the drain: a draining node takes no new calls.
    carrier = await startCarrier({ did: DID, port: carrierPort }, { caller: '+12025550193' });
    await answer(page);
    const inCall = page.getByRole('region', { name: 'Call in progress' });
    await expect(inCall).toContainText('In call');
    await markPage(page, '__beforeMove');

    const drained = await admin.post('/api/admin/drain', { data: {} });
    expect(drained.status(), await drained.text()).toBe(200);
    // The call goes on; the desk says it moves once the call is over.
    await expect(page.getByText('Your desk moves to another server when this call ends')).toBeVisible();
    await screenshot(page, 'node-drain-during-call');
    expect(await pageHasMark(page, '__beforeMove')).toBe(true);

    await hangUp(page);
    // The page loads again: with no load balancer in front it lands on the same draining node, and
    // stays there instead of loading again and again.
    const stay = page.getByText('no other server took your desk');
    await expect(stay).toBeVisible({ timeout: 15_000 });
    expect(await pageHasMark(page, '__beforeMove')).toBe(false);
    await expectRegistered(page);
    await markPage(page, '__afterMove');
    await screenshot(page, 'node-drain-stayed');
  } finally {
    carrier?.kill();
    expect((await admin.delete('/api/admin/drain')).status()).toBe(200);
    await route.remove();
  }
  // The drain ended: the notice goes, and the page was not loaded again meanwhile.
  await expect(page.getByText('no other server took your desk')).toHaveCount(0);
  expect(await pageHasMark(page, '__afterMove')).toBe(true);
});
