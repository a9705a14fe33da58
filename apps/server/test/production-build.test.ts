import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchboard/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The production build (scripts/build-server.mjs, what docker/Dockerfile runs) started the way the
 * image starts it: `node main.js`, no tsx, NODE_ENV=production, with node_modules beside the build as
 * in the image. One build, one start; every check runs against that one process.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const adminPassword = 'a long production passphrase';

let dir: string;
let build: string;
let server: ChildProcess;
let exited: Promise<number | null>;
let output = '';
let base: string;
let sipPort: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sb-prod-build-'));
  const app = path.join(dir, 'app');
  build = path.join(app, 'server');
  mkdirSync(app);
  // The image installs the production dependencies beside the build; here the repository's stand in.
  symlinkSync(path.join(root, 'node_modules'), path.join(app, 'node_modules'));
  const built = spawnSync(process.execPath, [path.join(root, 'scripts/build-server.mjs'), '--out', build], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(built.status, built.stderr + built.stdout).toBe(0);

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.join(build, 'main.js')], {
    // Another working directory than the repository's: the build must find its files by itself.
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: String(port),
      SIP_HOST: '127.0.0.1',
      SIP_PORT: '0',
      DATABASE_URL: `sqlite:${path.join(dir, 'data/switchboard.db')}`,
      RECORDINGS_DIR: path.join(dir, 'data/recordings'),
      ADMIN_USERNAME: 'chief',
      ADMIN_PASSWORD: adminPassword,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  sipPort = await new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const up = /"sip":"127\.0\.0\.1:(\d+)".*"msg":"Switchboard is up"/.exec(output);
      if (up) resolve(Number(up[1]));
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`the built server exited (${code}) before it was up: ${output}`)),
    );
  });
}, 60_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGKILL');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username: 'chief', password: adminPassword }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie');
  expect(cookie).toBeTruthy();
  return cookie!.split(';')[0]!;
}

describe('the production build', () => {
  it('is plain JavaScript: the bundles, the media worker and the prompts, with no tsx to run them', () => {
    for (const file of ['main.js', 'admin-cli.js', 'media-worker-entry.js', 'prompts/all-agents-busy.wav']) {
      expect(existsSync(path.join(build, file)), file).toBe(true);
    }
    const main = readFileSync(path.join(build, 'main.js'), 'utf8');
    expect(main).not.toMatch(/from ["']@switchboard\//);
    const manifest = JSON.parse(readFileSync(path.join(build, 'package.json'), 'utf8')) as {
      type: string;
      dependencies: Record<string, string>;
    };
    expect(manifest.type).toBe('module');
    // Every package the bundle imports is one the production install puts beside it.
    const imported = new Set(
      [...main.matchAll(/(?:\bfrom|^import)\s*["']([^"'./][^"']*)["'];$/gm)]
        .map((m) => m[1]!)
        .filter((s) => !s.startsWith('node:'))
        .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)),
    );
    expect(imported.size).toBeGreaterThan(5);
    for (const name of imported) expect(Object.keys(manifest.dependencies), name).toContain(name);
    expect(Object.keys(manifest.dependencies)).toContain('swagger-ui-dist');
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
  });

  it('answers /healthz and /readyz, signs the initial administrator in, and serves its files', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect(output).toMatch(/"msg":"created the initial administrator"/);
    expect(output).not.toContain(adminPassword);

    const cookie = await signIn();
    const me = await fetch(`${base}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { username: 'chief', role: 'admin' } });

    // The shipped prompts, found beside the bundle.
    const prompts = await fetch(`${base}/api/admin/sounds/prompts`, { headers: { cookie } });
    expect(prompts.status).toBe(200);
    const names = ((await prompts.json()) as { prompts: Array<{ name: string }> }).prompts.map((p) => p.name);
    expect(names).toContain('all-agents-busy');
    // The API docs' assets, found in the installed swagger-ui-dist.
    const css = await fetch(`${base}/api/docs/assets/swagger-ui.css`, { headers: { cookie } });
    expect(css.status).toBe(200);

    const index = await fetch(`${base}/`);
    if (existsSync(path.join(root, 'apps/web/dist/index.html'))) {
      expect(index.status).toBe(200);
      const html = await index.text();
      expect(html).toContain('<div id="root"');
      // The page's script, from the copy of the web build beside the bundle.
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeTruthy();
      expect((await fetch(`${base}${script}`)).status).toBe(200);
    } else {
      expect(index.status).toBe(503);
      expect(await index.text()).toMatch(/The web app is not built/);
    }
  });

  it('answers a SIP OPTIONS with 200', async () => {
    const sock = createSocket('udp4');
    try {
      await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
      const reply = new Promise<string>((resolve) => sock.once('message', (m) => resolve(m.toString())));
      const port = sock.address().port;
      sock.send(
        `OPTIONS sip:127.0.0.1:${sipPort} SIP/2.0\r\n` +
          `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${Math.random().toString(36).slice(2)}\r\n` +
          'From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\n' +
          `Call-ID: ${Math.random()}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
        sipPort,
        '127.0.0.1',
      );
      expect(await reply).toMatch(/^SIP\/2\.0 200/);
    } finally {
      sock.close();
    }
  });

  it('runs the built admin command line', () => {
    const help = spawnSync(process.execPath, [path.join(build, 'admin-cli.js'), 'help'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, DATABASE_URL: `sqlite:${path.join(dir, 'data/switchboard.db')}` },
    });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/create-user/);
    expect(help.stdout).toMatch(/backup/);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
  });
});
