import type { Config } from '../config';
import type { Db } from '../db/database';
import type { Logger } from '../observability/logger';
import { Dialer, type DialerOptions } from './dialer';
import type { DialerClock } from './dialer-clock';
import { loadCallbackDialingPolicy } from './dialing-policy';

export interface DialerTimings {
  clock?: DialerClock;
  leaseMs?: number;
  pollMs?: number;
}

/** Each trunk's own caps on the dialer's calls, as the trunk table has them (trunks without none). */
export async function loadTrunkDialerLimits(
  db: Db,
): Promise<Record<number, { callsPerSecond?: number; maxConcurrent?: number }>> {
  const trunks: Record<number, { callsPerSecond?: number; maxConcurrent?: number }> = {};
  const rows = await db
    .selectFrom('trunks')
    .select(['id', 'dialer_calls_per_second', 'dialer_max_concurrent'])
    .execute();
  for (const r of rows) {
    if (r.dialer_calls_per_second === null && r.dialer_max_concurrent === null) continue;
    trunks[r.id] = {
      ...(r.dialer_calls_per_second !== null ? { callsPerSecond: Number(r.dialer_calls_per_second) } : {}),
      ...(r.dialer_max_concurrent !== null ? { maxConcurrent: Number(r.dialer_max_concurrent) } : {}),
    };
  }
  return trunks;
}

/** The node's dialer with the configured caps and each trunk's own. */
export async function startDialer(
  deps: {
    config: Config;
    db: Db;
    logger: Logger;
    now?: () => number;
    onLaunch?: DialerOptions['onLaunch'];
  } & DialerTimings,
): Promise<Dialer> {
  const trunks = await loadTrunkDialerLimits(deps.db);
  const now = deps.now;
  const dialer = new Dialer(deps.db, {
    nodeId: deps.config.nodeId,
    logger: deps.logger,
    limits: { ...deps.config.dialer, trunks },
    clock:
      deps.clock ??
      (now
        ? {
            now,
            setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
            clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
          }
        : undefined),
    leaseMs: deps.leaseMs,
    pollMs: deps.pollMs,
    onLaunch: deps.onLaunch,
    loadNodeLimits: async () => (await loadCallbackDialingPolicy(deps.db)).pacing,
    loadTrunkLimits: () => loadTrunkDialerLimits(deps.db),
  });
  await dialer.start();
  return dialer;
}
