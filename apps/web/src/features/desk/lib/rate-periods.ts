import { startOfDay, startOfMonth } from '../../../lib/format';

export interface Period {
  from: number;
  to: number;
}

/** The current month so far and yesterday, in the agent's time zone (the agent's day). */
export function ratePeriods(now: number, timeZone: string): { month: Period; yesterday: Period } {
  const monthStart = startOfMonth(now, timeZone);
  const todayStart = startOfDay(now, timeZone);
  const yesterdayStart = startOfDay(now, timeZone, 1);
  return {
    month: { from: monthStart, to: now },
    yesterday: { from: yesterdayStart, to: todayStart - 1 },
  };
}

export interface RateSlice {
  answered: number;
  notAnswered: number;
}

/**
 * `answered`/`notAnswered` totals → the two slices, and the answered share as a whole percent (null
 * with no calls). Calls still in progress are in neither total, so they are in no slice.
 */
export function rateOf(totals: {
  answered: number;
  notAnswered: number;
}): RateSlice & { percent: number | null } {
  const answered = Math.max(0, totals.answered);
  const notAnswered = Math.max(0, totals.notAnswered);
  const all = answered + notAnswered;
  return { answered, notAnswered, percent: all === 0 ? null : Math.round((answered / all) * 100) };
}
