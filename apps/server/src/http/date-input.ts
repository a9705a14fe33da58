import { isValidTimeZone, type ParsedDateTime, parseDateTime } from '@switchboard/shared';
import { fieldError } from './validate';

/** The time zone a request's wall times are read in: the one given, else the user's (else UTC). */
export function requestTimeZone(given: string | undefined, userZone: string | null): string {
  if (given === undefined) return userZone && isValidTimeZone(userZone) ? userZone : 'UTC';
  if (!isValidTimeZone(given)) throw fieldError('timeZone', `Unknown time zone "${given}"`);
  return given;
}

/** Reads a date-time field (instant with offset, or wall time in `timeZone`), or answers 400 naming it. */
export function parseDateField(field: string, text: string, timeZone: string): ParsedDateTime {
  const parsed = parseDateTime(text, timeZone);
  if (!parsed) {
    throw fieldError(
      field,
      `"${text}" is not a date and time; use 2026-05-01T14:30 (your time zone) or an ISO time with an offset`,
    );
  }
  return parsed;
}
