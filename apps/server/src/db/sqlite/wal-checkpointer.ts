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
  if (m !== 'stop') return;
  clearInterval(timer);
  run();
  db.close();
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

  stop(): void {
    this.worker.postMessage('stop');
  }
}
