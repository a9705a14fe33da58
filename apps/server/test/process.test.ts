import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchboard/test-support';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const main = path.join(root, 'apps/server/src/main.ts');

function runMain(env: Record<string, string>) {
  const child = spawn(tsx, [main], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

function waitForOutput(get: () => string, child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(get())) {
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', () => reject(new Error(`exited before printing ${pattern}: ${get()}`)));
    check();
  });
}

describe('the server process', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('refuses to start on bad configuration, naming each bad setting', async () => {
    const run = runMain({ PORT: 'eighty', DATABASE_URL: 'mysql://nope', NODE_ENV: 'test' });
    const code = await run.exited;
    expect(code).toBe(78);
    expect(run.output()).toMatch(/PORT: PORT must be a port number/);
    expect(run.output()).toMatch(/DATABASE_URL: DATABASE_URL must start with sqlite: or postgres:\/\//);
  });

  it('refuses to start on a TRUST_PROXY entry it cannot match, naming it', async () => {
    const run = runMain({ TRUST_PROXY: 'loopback, proxy.internal', NODE_ENV: 'test' });
    expect(await run.exited).toBe(78);
    expect(run.output()).toMatch(/TRUST_PROXY: TRUST_PROXY entry "proxy\.internal" is not an IP address/);
  });

  it('starts on a fresh SQLite file with demo data, prints the credentials and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-proc-'));
    dirs.push(dir);
    const port = await freePort();
    const run = runMain({
      NODE_ENV: 'development',
      PORT: String(port),
      SIP_PORT: '0', // a free SIP port: 5060 may be taken by another server or test
      DATABASE_URL: `sqlite:${path.join(dir, 'db', 'switchboard.db')}`,
      RECORDINGS_DIR: path.join(dir, 'recordings'),
      LOG_LEVEL: 'warn',
    });
    await waitForOutput(run.output, run.child, /Switchboard is running at/);
    expect(run.output()).toMatch(/SIP on UDP and TCP 127\.0\.0\.1:\d+/);
    expect(run.output()).toMatch(/agent\s+alice\s+\/ alice\s+agent ID 1001/);
    expect(run.output()).toMatch(/portal\s+18005550100 \/ demo/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
  it('production: refuses to start with nobody to administer it, then starts with the initial administrator and no demo data', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-proc-'));
    dirs.push(dir);
    const port = await freePort();
    const env = {
      NODE_ENV: 'production',
      PORT: String(port),
      SIP_PORT: '0',
      DATABASE_URL: `sqlite:${path.join(dir, 'switchboard.db')}`,
      RECORDINGS_DIR: path.join(dir, 'recordings'),
      LOG_LEVEL: 'info',
    };
    const nobody = runMain(env);
    expect(await nobody.exited, nobody.output()).toBe(78);
    expect(nobody.output()).toMatch(
      /the database has no administrator; set ADMIN_USERNAME and ADMIN_PASSWORD/,
    );

    const run = runMain({ ...env, ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: 'a long passphrase' });
    await waitForOutput(run.output, run.child, /"msg":"Switchboard is up"/);
    expect(run.output()).toMatch(/"msg":"created the initial administrator"/);
    expect(run.output()).not.toContain('a long passphrase');
    const base = `http://127.0.0.1:${port}`;
    const login = (username: string, password: string) =>
      fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ username, password }),
      });
    expect((await login('chief', 'a long passphrase')).status).toBe(200);
    // Production writes no demo data: the demo users do not exist.
    expect((await login('admin', 'admin')).status).toBe(401);
    expect((await login('alice', 'alice')).status).toBe(401);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
