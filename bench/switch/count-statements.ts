// Preloaded into the server by `cps.ts --count-statements` (`node --import`): counts every SQLite
// statement the process runs, by SQL text, and the time spent running them (wall clock, on the
// main thread, so on a busy machine it includes time the thread was not scheduled). SIGUSR2 writes the counts since the last SIGUSR2 to
// `$SB_STATEMENT_COUNTS_DIR/<n>.json` (n = 1, 2, …) and starts counting afresh, so the bench can
// take the statements of one step's calls alone.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const dir = process.env.SB_STATEMENT_COUNTS_DIR;
if (isMainThread && dir) {
  const counts = new Map<string, { n: number; us: number }>();
  const probe = new SQLite(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
  probe.close();
  for (const method of ['run', 'all', 'get', 'iterate']) {
    const original = statement[method] as (this: { source: string }, ...args: unknown[]) => unknown;
    statement[method] = function (this: { source: string }, ...args: unknown[]) {
      const start = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const c = counts.get(this.source) ?? { n: 0, us: 0 };
        c.n++;
        c.us += Number(process.hrtime.bigint() - start) / 1000;
        counts.set(this.source, c);
      }
    };
  }
  // Statements run through `Database.exec` (migrations, pragmas) are not on the call path.
  let dumps = 0;
  process.on('SIGUSR2', () => {
    const file = join(dir, `${++dumps}.json`);
    // Renamed into place, so the bench never reads half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(counts)));
    renameSync(`${file}.tmp`, file);
    counts.clear();
  });
}
