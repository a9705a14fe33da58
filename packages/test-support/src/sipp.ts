// sipp as the carrier, desk phone or load generator in tests and benches. Node built-ins only, so
// vitest, Playwright and tsx benches can all load it.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

export const SIPP = '/usr/bin/sipp';

export interface SippProcess {
  /** The SIP port sipp listens on (0 when the caller's own args chose it). */
  port: number;
  /** The last 20 kB of its stdout and stderr. */
  readonly output: string;
  /** Exit code (0: every call of the scenario succeeded; -1: killed by a signal). */
  exited: Promise<number | null>;
  /** Null while sipp runs (and after a kill by signal). */
  readonly exitCode: number | null;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Runs sipp with exactly these arguments plus `-nostdin -timeout … -timeout_error`: sipp's own
 * timeout ends a stuck scenario with an error, and SIGKILL follows 5 s later should sipp hang. Its
 * working directory (where `-trace_*` logs land) is a fresh temporary folder unless `cwd` is given.
 */
export function runSipp(
  args: string[],
  options: { timeoutMs?: number; cwd?: string; port?: number } = {},
): SippProcess {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const cwd = options.cwd ?? mkdtempSync(path.join(os.tmpdir(), 'sb-sipp-run-'));
  const child = spawn(
    SIPP,
    [...args, '-nostdin', '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-timeout_error'],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd },
  );
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
    port: options.port ?? 0,
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

export interface StartSippOptions {
  /** Path of the scenario file (relative paths resolve against the process's working directory). */
  scenario: string;
  transport: 'udp' | 'tcp';
  /** Where its calls go (host:port), if it places any. */
  remote?: string;
  args?: string[];
  timeoutMs?: number;
  /** The SIP port; a free one when absent. */
  port?: number;
}

/** Starts sipp on 127.0.0.1 with one scenario file, one socket (`-t u1` or `t1`). */
export async function startSipp(options: StartSippOptions): Promise<SippProcess> {
  const port = options.port ?? (await freePort());
  const args = [
    ...(options.remote ? [options.remote] : []),
    '-sf',
    path.resolve(options.scenario),
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-t',
    options.transport === 'udp' ? 'u1' : 't1',
    ...(options.args ?? []),
  ];
  return runSipp(args, { timeoutMs: options.timeoutMs ?? 15_000, port });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port (sipp listening with -t t1). */
export async function tcpReady(port: number, deadlineMs = 5000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listening on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
