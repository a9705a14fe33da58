import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { carrierScenario, MediaPeer, startDesk } from './call-peers';
import { freePort, freeUdpRange, type SippProcess, startSipp } from './sip-agents';
import { ApiClient } from './test-system';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const main = path.join(root, 'apps/server/src/main.ts');

/** The real server as a separate process (crash tests: SIGKILL it, start it again on the same database). */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  sipPort: number;
  exited: Promise<void>;
  output(): string;
}

/**
 * `tsx apps/server/src/main.ts` in its own process group (tsx runs the server in a child node
 * process: killing the group is what SIGKILLs the server itself). Resolves once it prints its
 * URL and SIP port.
 */
export async function startServer(
  env: Record<string, string>,
  /** Another entry point printing the same banner (a test fixture around the real system). */
  entry = main,
): Promise<ServerProcess> {
  const child = spawn(tsx, [entry], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SIP_HOST: '127.0.0.1',
      SIP_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const ready = new Promise<{ url: string; sipPort: number }>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const url = /Switchboard is running at (http:\/\/\S+)/.exec(out);
      const sip = /SIP on UDP and TCP 127\.0\.0\.1:(\d+)/.exec(out);
      if (url && sip) {
        clearTimeout(t);
        resolve({ url: url[1]!, sipPort: Number(sip[1]) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(t);
      reject(new Error(`server exited before it was up: ${out}`));
    });
  });
  const { url, sipPort } = await ready;
  // These tests are about calls surviving a crash: their agents are Idle once their phone registers.
  const admin = new ApiClient(url);
  await admin.login('admin');
  const res = await admin.put('/api/admin/settings', { agentSignIn: { status: 'idle', reason: null } });
  if (res.status !== 200) throw new Error(`setting the sign-in state failed: ${res.text}`);
  return { child, url, sipPort, exited, output: () => out };
}

export function killGroup(p: ServerProcess, signal: NodeJS.Signals): Promise<void> {
  try {
    process.kill(-p.child.pid!, signal);
  } catch {
    // already gone
  }
  return p.exited;
}

/** Polls (e.g. the SQLite file another process writes) until `test` holds. */
export async function until<T>(
  read: () => T,
  test: (v: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (test(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A crash test's switch: a SQLite file of its own and the carrier's port, both kept across restarts. */
export interface CrashTestSetup {
  dir: string;
  dbFile: string;
  recordingsDir: string;
  carrierPort: number;
  /** The server's environment (each start adds its own PORT). */
  env: Record<string, string>;
  /** Run when the test finishes, the last added first; then the folder goes. */
  cleanups: Array<() => unknown>;
}

export async function crashTestSetup(
  onTestFinished: (fn: () => Promise<void>) => void,
  /** `rtpPorts`: how many consecutive free ports the server's RTP range gets (default 100). */
  options: { tmpPrefix: string; rtpPorts?: number },
): Promise<CrashTestSetup> {
  const dir = mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix));
  const dbFile = path.join(dir, 'switchboard.db');
  const recordingsDir = path.join(dir, 'recordings');
  const carrierPort = await freePort();
  const rtpPorts = options.rtpPorts ?? 100;
  const rtpMin = await freeUdpRange(rtpPorts);
  const env = {
    DATABASE_URL: `sqlite:${dbFile}`,
    RECORDINGS_DIR: recordingsDir,
    WEB_DIST_DIR: path.join(dir, 'no-web-build'),
    TRUNK_URI: `sip:127.0.0.1:${carrierPort}`,
    RTP_PORT_MIN: String(rtpMin),
    RTP_PORT_MAX: String(rtpMin + rtpPorts - 1),
  };
  const cleanups: Array<() => unknown> = [];
  onTestFinished(async () => {
    for (const c of cleanups.reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, dbFile, recordingsDir, carrierPort, env, cleanups };
}

/**
 * One call after the restart: desk phone 1004 registers again (bindings are in memory) and
 * answers, then the carrier calls `did` and hangs up after a second. `deskReady` runs in between
 * (e.g. to wait for the agent to be idle). Resolves once both sipp runs have exited.
 */
export async function callAfterRestart(
  setup: CrashTestSetup,
  server: ServerProcess,
  options: { did: string; mediaPort: number; timeoutMs: number; deskReady?: () => Promise<unknown> },
): Promise<{
  media: MediaPeer;
  carrier: SippProcess;
  desk: SippProcess;
  carrierExit: number | null;
  deskExit: number | null;
}> {
  const media = await MediaPeer.start();
  setup.cleanups.push(() => media.close());
  const desk = await startDesk({ sipPort: server.sipPort }, 'answer', media.port);
  setup.cleanups.push(() => {
    desk.kill();
    return desk.exited;
  });
  await options.deskReady?.();
  const carrier = await startSipp({
    scenario: carrierScenario({ did: options.did, expect: 200, talkMs: 1000 }),
    transport: 'udp',
    port: setup.carrierPort,
    remote: `127.0.0.1:${server.sipPort}`,
    timeoutMs: options.timeoutMs,
    args: ['-s', options.did, '-m', '1', '-mi', '127.0.0.1', '-mp', String(options.mediaPort), '-trace_err'],
  });
  setup.cleanups.push(() => {
    carrier.kill();
    return carrier.exited;
  });
  const [carrierExit, deskExit] = await Promise.all([carrier.exited, desk.exited]);
  return { media, carrier, desk, carrierExit, deskExit };
}
