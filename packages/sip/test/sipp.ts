import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';

export const SIPP = '/usr/bin/sipp';

/** A port free for both UDP and TCP on 127.0.0.1 (sipp binds both with -t t1). */
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

export interface SippRun {
  code: number | null;
  output: string;
  kill(): void;
  exited: Promise<number | null>;
}

/** Starts sipp; `exited` resolves with its exit code (0: every call succeeded). */
export function startSipp(args: string[], timeoutMs: number): SippRun {
  const child = spawn(
    SIPP,
    [...args, '-nostdin', '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-timeout_error'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  });
  child.stderr.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  });
  const run: SippRun = {
    code: null,
    get output() {
      return output;
    },
    kill: () => child.kill('SIGKILL'),
    exited: new Promise((resolve) => {
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
      child.on('exit', (code) => {
        clearTimeout(t);
        run.code = code;
        resolve(code);
      });
    }),
  };
  return run;
}

/** Resolves once something accepts TCP connections on the port (sipp listening with -t t1). */
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
    await new Promise((r) => setImmediate(r));
  }
}
