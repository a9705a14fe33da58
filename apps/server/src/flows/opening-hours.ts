import type { flowTimeConditionSettingsSchema } from '@switchboard/shared';
import type { z } from 'zod';

export type TimeConditionSettings = z.output<typeof flowTimeConditionSettingsSchema>;

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at `at`: weekday (0 = Sunday), date (YYYY-MM-DD), minutes since midnight. */
export function wallClock(at: number, timeZone: string): { weekday: number; date: string; minutes: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return {
    weekday: WEEKDAYS[parts.weekday!] ?? 0,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Open when `at` falls in one of the weekly ranges (from inclusive, to exclusive) and is no holiday. */
export function isOpen(settings: TimeConditionSettings, at: number): boolean {
  const now = wallClock(at, settings.timeZone);
  if (settings.holidays.includes(now.date)) return false;
  return settings.hours.some(
    (h) => h.days.includes(now.weekday) && now.minutes >= toMinutes(h.from) && now.minutes < toMinutes(h.to),
  );
}
