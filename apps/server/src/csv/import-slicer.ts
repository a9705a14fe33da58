import { setImmediate } from 'node:timers/promises';

/**
 * Work of an import between two turns of the event loop. SQLite answers synchronously, so an import
 * that never yields holds SIP and HTTP for its whole length; each turn also reports progress.
 */
export function importSlicer(report: (done: number) => void, budgetMs = 40) {
  let since = performance.now();
  return async (done: number): Promise<void> => {
    if (performance.now() - since < budgetMs) return;
    report(done);
    await setImmediate();
    since = performance.now();
  };
}
