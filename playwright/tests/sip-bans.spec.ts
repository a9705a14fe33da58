import { createSocket } from 'node:dgram';
import { expect, test } from '@playwright/test';
import { sipPort } from '../playwright.config';
import { screenshot } from './screenshots';

/** 40 new SIP requests in a burst from 127.0.0.9: over the default 16 in 2 s, so the address is banned. */
async function floodFrom(address: string): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  const port = socket.address().port;
  for (let i = 0; i < 40; i++) {
    const msg =
      `OPTIONS sip:127.0.0.1:${sipPort} SIP/2.0\r\n` +
      `Via: SIP/2.0/UDP ${address}:${port};branch=z9hG4bKe2eban${i};rport\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:probe@${address}>;tag=b${i}\r\nTo: <sip:127.0.0.1>\r\n` +
      `Call-ID: e2e-ban-${i}@${address}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
    await new Promise<void>((resolve) => socket.send(msg, sipPort, '127.0.0.1', () => resolve()));
  }
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

test('an admin sees a banned SIP address and lifts the ban', async ({ page }) => {
  await floodFrom('127.0.0.9');
  await page.goto('/login');
  await page.getByLabel('Agent name or agent ID').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'SIP bans' }).click();
  const table = page.getByRole('table', { name: 'Banned SIP addresses' });
  const row = table.getByRole('row').filter({ hasText: '127.0.0.9' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Too many requests');
  await screenshot(page, 'admin-sip-bans');
  await row.getByRole('button', { name: 'Unban 127.0.0.9' }).click();
  await expect(row).toHaveCount(0);
  await expect(table).toContainText('No address is banned.');
});
