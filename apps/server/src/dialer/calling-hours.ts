import ct from 'countries-and-timezones';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Local wall-clock hours in which a customer may be called, `HH:MM` to `HH:MM` (equal: all day). */
export interface CallingHours {
  from: string;
  to: string;
}

const STEP_MS = 15 * 60_000;
const SEARCH_MS = 8 * 24 * 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function minutesOfDay(zone: string, at: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  const parts = f.formatToParts(at);
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * The time zones a number may ring in: the customer's own zone when known, else every zone of the
 * number's country (a US number may be in Hawaii: the hours must hold in all of them).
 */
export function zonesOf(number: string, customerZone?: string | null): string[] {
  if (customerZone) return [customerZone];
  const country = parsePhoneNumberFromString(number)?.country;
  if (!country) return [];
  const zones = ct.getTimezonesForCountry(country) ?? [];
  return zones.map((z) => z.name);
}

function inside(zones: string[], hours: CallingHours, at: number): boolean {
  const from = toMinutes(hours.from);
  const to = toMinutes(hours.to);
  if (from === to) return true;
  return zones.every((z) => {
    const m = minutesOfDay(z, at);
    return from <= to ? m >= from && m < to : m >= from || m < to;
  });
}

/**
 * `at` when it is inside the calling hours in every zone of the number, else the next quarter hour
 * that is. A number whose zones never share a window (or no zone is known) is held to the first
 * zone alone, or not at all.
 */
export function nextCallingTime(
  number: string,
  hours: CallingHours,
  at: number,
  customerZone?: string | null,
): number {
  let zones = zonesOf(number, customerZone);
  if (!zones.length) return at;
  if (inside(zones, hours, at)) return at;
  for (const attempt of [zones, zones.slice(0, 1)]) {
    zones = attempt;
    const start = Math.ceil(at / STEP_MS) * STEP_MS;
    for (let t = start; t < at + SEARCH_MS; t += STEP_MS) if (inside(zones, hours, t)) return t;
  }
  return at;
}
