import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 8391);
export const baseURL = `http://127.0.0.1:${port}`;
/** The server's SIP UDP/TCP port (a sipp carrier calls it in browser-call.spec.ts). */
export const sipPort = port + 1;
const runDir = path.join(os.tmpdir(), `sb-e2e-${process.pid}`);

export default defineConfig({
  testDir: './tests',
  // Runs once the server is up (the web server starts before global setup).
  globalSetup: './global-setup.ts',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL,
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
      ],
    },
    permissions: ['microphone', 'notifications'],
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'npx tsx ../apps/server/src/main.ts',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'test',
      PORT: String(port),
      SIP_PORT: String(sipPort),
      DATABASE_URL: `sqlite:${path.join(runDir, 'switchboard.db')}`,
      RECORDINGS_DIR: path.join(runDir, 'recordings'),
      LOG_LEVEL: 'warn',
    },
  },
});
