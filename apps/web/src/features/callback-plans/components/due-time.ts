import { toDateTimeInput } from '../../../lib/format';

/** A sensible default due time: the next whole hour at least 30 minutes away, as a datetime-local value. */
export function defaultDueInput(now: number, timeZone: string): string {
  const hour = 3_600_000;
  const next = Math.ceil((now + 30 * 60_000) / hour) * hour;
  return toDateTimeInput(next, timeZone);
}
