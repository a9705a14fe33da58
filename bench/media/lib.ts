import { type ChildProcess, spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { Probe, WorkerRequest } from './relay-worker';

/** The relay: media in a worker thread, this thread measuring event-loop lag and process CPU. */
export class Relay {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    // Node 20 workers do not inherit tsx's loader; register it inside the worker before importing TS.
    const file = new URL('./relay-worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(file)}); })`;
    // --young-mb N caps the worker's young generation (resourceLimits.maxYoungGenerationSizeMb): smaller
    // means more frequent but shorter scavenges, for trying how the pause length shows in the p99.
    const youngMb = Number(arg('young-mb', '0'));
    this.worker = new Worker(boot, {
      eval: true,
      ...(youngMb > 0 ? { resourceLimits: { maxYoungGenerationSizeMb: youngMb } } : {}),
    });
    this.worker.on(
      'message',
      ({ id, ok, result, error }: { id: number; ok: boolean; result: unknown; error: string }) => {
        const p = this.pending.get(id);
        this.pending.delete(id);
        if (ok) p?.resolve(result);
        else p?.reject(new Error(error));
      },
    );
  }

  call<T>(msg: WorkerRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, msg });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

export interface Window {
  cpuPercent: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** The media thread alone (from the worker's own probe); NaN without a relay. */
  mediaThreadCpuPercent: number;
  minorGcPerS: number;
  minorGcMeanMs: number;
  maxGcMs: number;
  /** Media-thread CPU per forwarded packet (each received once and sent once), µs. */
  usPerPacket: number;
  /** Its system (kernel) part. */
  sysUsPerPacket: number;
  seconds: number;
}

/**
 * CPU of this whole process (all threads) and main-thread event-loop lag over a window: a 5 ms timer
 * stands in for the SIP/HTTP loop and records how late it fires.
 */
export async function measureWindow(ms: number, relay?: Relay): Promise<Window> {
  const p0 = relay ? await relay.call<Probe>({ op: 'probe' }) : null;
  const lags: number[] = [];
  let expected = performance.now() + 5;
  const timer = setInterval(() => {
    const now = performance.now();
    lags.push(Math.max(0, now - expected));
    expected = now + 5;
  }, 5);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  clearInterval(timer);
  const p1 = relay ? await relay.call<Probe>({ op: 'probe' }) : null;
  lags.sort((a, b) => a - b);
  const minor = p0 && p1 ? p1.minorGcs - p0.minorGcs : Number.NaN;
  return {
    mediaThreadCpuPercent: p0 && p1 ? ((p1.threadCpuMs - p0.threadCpuMs) / wall) * 100 : Number.NaN,
    minorGcPerS: (minor / wall) * 1000,
    minorGcMeanMs: p0 && p1 && minor > 0 ? (p1.minorGcMs - p0.minorGcMs) / minor : 0,
    maxGcMs: p1 ? p1.maxGcMs : Number.NaN,
    usPerPacket:
      p0 && p1 ? ((p1.threadCpuMs - p0.threadCpuMs) * 1000) / (p1.forwarded - p0.forwarded) : Number.NaN,
    sysUsPerPacket:
      p0 && p1 ? ((p1.threadSysMs - p0.threadSysMs) * 1000) / (p1.forwarded - p0.forwarded) : Number.NaN,
    seconds: wall / 1000,
    cpuPercent: ((c.user + c.system) / 1000 / wall) * 100,
    lagP99Ms: percentile(lags, 99),
    lagMaxMs: lags.length ? lags[lags.length - 1]! : 0,
  };
}

export function spawnTs(file: string, args: string[] = []): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', new URL(file, import.meta.url).pathname, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export function request<T>(child: ChildProcess, msg: object): Promise<T> {
  return new Promise<T>((resolve) => {
    const on = (m: T) => {
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.send(msg);
  });
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
}

/** Pin a process to one CPU when taskset is available, so "one core" means one core. */
export function pin(pid: number, cpu: number): void {
  try {
    spawn('taskset', ['-a', '-pc', String(cpu), String(pid)], { stdio: 'ignore' });
  } catch {
    // not available: figures are then per process, still one media thread
  }
}
