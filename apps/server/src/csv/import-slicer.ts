import { setImmediate } from 'node:timers/promises';

/**
 * Work of an import between two turns of the event loop. SQLite answers synchronously, so an import
 * that never yields holds SIP and HTTP for its whole length; each turn also reports progress, and
 * so does the first call, so a page shows the work from its start.
 */
export function importSlicer(report: (done: number) => void, budgetMs = 40) {
  let since = performance.now();
  let started = false;
  return async (done: number): Promise<void> => {
    if (started && performance.now() - since < budgetMs) return;
    started = true;
    report(done);
    await setImmediate();
    since = performance.now();
  };
}
