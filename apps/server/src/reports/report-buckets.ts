import { maxReportBuckets, parseDateTime, type ReportBucket, toLocalInputValue } from '@switchboard/shared';
import { sql } from 'kysely';

export interface Bucket {
  start: number;
  end: number;
  /** Wall time of the start in the viewer's zone, `YYYY-MM-DDTHH:mm`. */
  label: string;
}

const HOUR = 3_600_000;

function wallStart(utcMs: number, size: ReportBucket, timeZone: string): number {
  const wall = toLocalInputValue(utcMs, timeZone);
  const text = size === 'day' ? wall.slice(0, 10) : `${wall.slice(0, 13)}:00`;
  return parseDateTime(text, timeZone)!.utcMs;
}

/** The wall date after `dateText` (`YYYY-MM-DD`): calendar arithmetic, whatever the zone's DST. */
function nextDate(dateText: string): string {
  const d = new Date(`${dateText}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The hours or days of [from, to) as the viewer's clock shows them: a day runs from local midnight
 * to the next (23 or 25 hours across a DST change). Null when there would be more than the bucket
 * size allows.
 */
export function reportBuckets(
  from: number,
  to: number,
  size: ReportBucket,
  timeZone: string,
): Bucket[] | null {
  const out: Bucket[] = [];
  let start = wallStart(from, size, timeZone);
  while (start < to) {
    if (out.length >= maxReportBuckets[size]) return null;
    let end: number;
    if (size === 'hour') end = start + HOUR;
    else end = parseDateTime(nextDate(toLocalInputValue(start, timeZone).slice(0, 10)), timeZone)!.utcMs;
    out.push({ start, end, label: toLocalInputValue(start, timeZone) });
    start = end;
  }
  return out;
}

/**
 * The buckets as a CTE body `b(i, s, e)` to join calls against, so both databases group by the
 * viewer's hours and days without knowing time zones. The values are integers computed here
 * (checked), never request text.
 */
export function bucketValues(buckets: Bucket[]) {
  const rows = buckets.map((b, i) => {
    if (!Number.isSafeInteger(b.start) || !Number.isSafeInteger(b.end)) throw new Error('bad bucket');
    return `(${i}, ${b.start}, ${b.end})`;
  });
  return sql.raw(`values ${rows.join(', ')}`);
}
