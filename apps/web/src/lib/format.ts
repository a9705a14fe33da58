import { parseDateTime, toLocalInputValue } from '@switchboard/shared';

/**
 * Every date the web app shows or reads goes through here: shown in the user's time zone (their
 * chosen one, else the browser's) and written in the browser's locale format
 * (docs/agent-desk.md, "Time zones").
 */

/** The browser's own IANA zone: the user's until they choose one. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The browser's languages, for Intl: dates come out the way the user reads them. */
function userLocales(): readonly string[] | undefined {
  return typeof navigator !== 'undefined' && navigator.languages?.length ? navigator.languages : undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, locale: string | undefined, options: Intl.DateTimeFormatOptions) {
  const key = `${timeZone}|${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale ?? userLocales(), { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** Date and time (`12 May 2026, 14:05` in en-GB, `May 12, 2026, 2:05 PM` in en-US). */
export function formatDateTime(ms: number, timeZone: string, locale?: string): string {
  return formatter(timeZone, locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** Date and time to the second, for logs and audit trails. */
export function formatDateTimeSeconds(ms: number, timeZone: string, locale?: string): string {
  return formatter(timeZone, locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(ms);
}

/** The date alone (`12 May 2026`). */
export function formatDate(ms: number, timeZone: string, locale?: string): string {
  return formatter(timeZone, locale, { dateStyle: 'medium' }).format(ms);
}

/** The time of day alone (`14:05:09`), for things that happen today. */
export function formatTime(ms: number, timeZone: string, locale?: string): string {
  return formatter(timeZone, locale, { timeStyle: 'medium' }).format(ms);
}

/** Hours and minutes (`14:05`), for the labels of a chart's time axis. */
export function formatClock(ms: number, timeZone: string, locale?: string): string {
  return formatter(timeZone, locale, { timeStyle: 'short' }).format(ms);
}

/** The value a `datetime-local` input shows for instant `ms` in `timeZone` (`2026-05-12T14:05`). */
export function toDateTimeInput(ms: number, timeZone: string): string {
  return toLocalInputValue(ms, timeZone);
}

/** A `datetime-local` (or `date`) input's value read as wall time in `timeZone`; null if empty or invalid. */
export function fromDateTimeInput(value: string, timeZone: string): number | null {
  return value ? (parseDateTime(value, timeZone)?.utcMs ?? null) : null;
}

/** Midnight at the start of the day `daysAgo` before the one `now` falls on, in `timeZone`. */
export function startOfDay(now: number, timeZone: string, daysAgo = 0): number {
  const today = toLocalInputValue(now, timeZone).slice(0, 10);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d - daysAgo)).toISOString().slice(0, 10);
  return parseDateTime(day, timeZone)!.utcMs;
}

/** Midnight on the first of the month `now` falls in, in `timeZone`. */
export function startOfMonth(now: number, timeZone: string): number {
  return parseDateTime(`${toLocalInputValue(now, timeZone).slice(0, 7)}-01`, timeZone)!.utcMs;
}

/** `1:05` or `1:02:03` for a call duration in seconds. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
