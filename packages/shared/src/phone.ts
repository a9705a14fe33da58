import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** Normalises a dialled or typed number to E.164, or returns null when it cannot be a phone number. */
export function toE164(input: string, defaultCountry?: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  if (!parsed?.isPossible()) return null;
  return parsed.number;
}

/** Only the digits: what a partial number search matches against. */
export function digitsOnly(input: string): string {
  return input.replace(/\D+/g, '');
}
