// Runs sipp for the switch tests, the Playwright tests and the benches. Node built-ins only, so
// each of those can load it.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SIPP = '/usr/bin/sipp';
/** This folder: the scenarios kept as files. */
export const SIPP_SCENARIOS = path.dirname(fileURLToPath(import.meta.url));

/** A port free for both UDP and TCP on 127.0.0.1 (sipp binds both). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const ok = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

/**
 * An even port for sipp's `-mp` with the three above it free as well: sipp binds audio RTP and RTCP
 * and video RTP and RTCP there (p … p+3), and a busy p+2 makes it exit at once.
 */
export function freeMediaPorts(): Promise<number> {
  return freeUdpRange(4);
}

/**
 * The first port of `count` consecutive UDP ports on 127.0.0.1, free when looked at, starting at an
 * even port (RTP on even ports, RTCP above): a media range for a server or a phone under test.
 */
export async function freeUdpRange(count: number): Promise<number> {
  for (;;) {
    const base = (await freePort()) & ~1;
    if (base + count - 1 > 65535) continue;
    const bound: Array<ReturnType<typeof createSocket>> = [];
    let ok = true;
    for (let i = 0; i < count && ok; i++) {
      const u = createSocket('udp4');
      ok = await new Promise<boolean>((resolve) => {
        u.once('error', () => resolve(false));
        u.bind(base + i, '127.0.0.1', () => resolve(true));
      });
      bound.push(u);
    }
    await Promise.all(
      bound.map(
        (u) =>
          new Promise<void>((r) => {
            try {
              u.close(() => r());
            } catch {
              r(); // never bound
            }
          }),
      ),
    );
    if (ok) return base;
  }
}

export interface SippProcess {
  port: number;
  readonly output: string;
  /** Exit code (0: every call of the scenario succeeded). */
  exited: Promise<number | null>;
  /** Null while sipp runs (and after a kill by signal). */
  readonly exitCode: number | null;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts sipp on a free 127.0.0.1 port with a scenario from test/sipp/ (or an absolute path).
 * `remote` is where its calls go (host:port), if it places any. Bounded by `timeoutMs` (sipp's
 * own -timeout, then SIGKILL 5 s later).
 */
export async function startSipp(options: {
  scenario: string;
  transport: 'udp' | 'tcp';
  remote?: string;
  args?: string[];
  timeoutMs?: number;
  port?: number;
}): Promise<SippProcess> {
  const port = options.port ?? (await freePort());
  const timeoutMs = options.timeoutMs ?? 15_000;
  const scenario = path.isAbsolute(options.scenario)
    ? options.scenario
    : path.join(SIPP_SCENARIOS, options.scenario);
  const args = [
    ...(options.remote ? [options.remote] : []),
    '-sf',
    scenario,
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-t',
    options.transport === 'udp' ? 'u1' : 't1',
    '-nostdin',
    '-timeout',
    `${Math.ceil(timeoutMs / 1000)}s`,
    '-timeout_error',
    ...(options.args ?? []),
  ];
  // sipp writes its -trace_* logs into its working directory: a folder of its own, not the checkout.
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'sb-sipp-run-'));
  const child = spawn(SIPP, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  let output = '';
  const collect = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
    child.on('exit', (code, signal) => {
      clearTimeout(t);
      resolve(code ?? (signal ? -1 : null));
    });
  });
  return {
    port,
    get output() {
      return output;
    },
    exited,
    get exitCode() {
      return child.exitCode;
    },
    kill: (signal = 'SIGKILL') => {
      child.kill(signal);
    },
  };
}
