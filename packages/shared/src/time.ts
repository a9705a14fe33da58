// Building an Intl.DateTimeFormat costs far more than using one (a CSV import reads thousands of
// dates in one zone), so each zone's formatter is built once.
const zoneFormatters = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat | null {
  let f = zoneFormatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      f = null;
    }
    // Unknown names are remembered too, up to a bound, so typed garbage cannot grow the map forever.
    if (f || zoneFormatters.size < 1000) zoneFormatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows this IANA time zone (e.g. `Europe/Berlin`). */
export function isValidTimeZone(timeZone: string): boolean {
  return !!timeZone && zoneFormatter(timeZone) !== null;
}

const withOffset =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const localTime = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The offset of `timeZone` from UTC, in ms, at the instant `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const formatter = zoneFormatter(timeZone);
  if (!formatter) throw new RangeError(`Unknown time zone "${timeZone}"`);
  const parts = formatter.formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export interface ParsedDateTime {
  utcMs: number;
  /** True when the text was a date only (no time of day). */
  dateOnly: boolean;
}

/**
 * Reads `2026-05-01T10:00:00+02:00` (an instant) or local wall time `2026-05-01 10:00` / `2026-05-01`
 * in `timeZone`, to UTC epoch ms. A wall time that a DST gap skips resolves to the instant after the
 * gap. Returns null for anything else.
 */
export function parseDateTime(text: string, timeZone: string): ParsedDateTime | null {
  const t = text.trim();
  const o = withOffset.exec(t);
  if (o) {
    const [y, mo, d, h, mi, s] = o.slice(1, 7).map((v) => Number(v ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (!validParts(y, mo, d, h, mi, s)) return null;
    const ms = Date.parse(t.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : { utcMs: ms, dateOnly: false };
  }
  const l = localTime.exec(t);
  if (!l || !isValidTimeZone(timeZone)) return null;
  const [y, mo, d, h, mi, s] = l.slice(1, 7).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!validParts(y, mo, d, h, mi, s)) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes find the offset in force at the wall time (it may differ across a DST change).
  let utc = wall - zoneOffsetMs(wall, timeZone);
  utc = wall - zoneOffsetMs(utc, timeZone);
  return { utcMs: utc, dateOnly: l[4] === undefined };
}

/** `YYYY-MM-DDTHH:mm` wall time of `utcMs` in `timeZone`: the value a datetime-local input shows. */
export function toLocalInputValue(utcMs: number, timeZone: string): string {
  const wall = new Date(utcMs + zoneOffsetMs(utcMs, timeZone));
  return wall.toISOString().slice(0, 16);
}
