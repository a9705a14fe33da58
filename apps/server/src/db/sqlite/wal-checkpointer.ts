// WAL checkpoints in a thread of their own. SQLite's automatic checkpoint runs inside whichever write
// crosses the threshold, on the connection's thread: here the main thread, which then waits for the
// copy and the fsync (3–5 ms every ~1000 pages of WAL, 30 ms under load) while SIP and HTTP queue
// behind it. A second connection in a worker checkpoints every second instead (PASSIVE: it never
// waits for or blocks the writer); the main connection keeps a much higher automatic threshold as a
// safety net should the worker stop.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Pages of WAL after which the main connection still checkpoints by itself (SQLite's default: 1000). */
export const MAIN_AUTOCHECKPOINT_PAGES = 20_000;

export interface CheckpointResult {
  /** Frames in the WAL and frames copied into the database by this checkpoint. */
  log: number;
  checkpointed: number;
}

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 100');
const run = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.log > 0) parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch {}
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (!m || m.op !== 'stop') return;
  clearInterval(timer);
  run();
  db.close();
  Atomics.store(m.closed, 0, 1);
  Atomics.notify(m.closed, 0);
  parentPort.close();
});
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly listeners = new Set<(r: CheckpointResult) => void>();

  constructor(file: string, intervalMs = 1000) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
    this.worker.unref();
    this.worker.on('message', (r: CheckpointResult) => {
      for (const l of this.listeners) l(r);
    });
    // A checkpointer that fails leaves the main connection's own (rarer) checkpoints: nothing is lost.
    this.worker.on('error', () => {});
  }

  onCheckpoint(listener: (r: CheckpointResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops and waits (briefly, synchronously) until the worker's connection is closed, so the main
   * connection closes last: the last connection to a WAL database checkpoints it and removes its
   * -wal and -shm files, which must not happen after the caller thinks the database is closed
   * (a clean-up of the directory then raced with it).
   */
  stop(): void {
    const closed = new Int32Array(new SharedArrayBuffer(4));
    this.worker.postMessage({ op: 'stop', closed });
    Atomics.wait(closed, 0, 0, 2000);
  }
}
