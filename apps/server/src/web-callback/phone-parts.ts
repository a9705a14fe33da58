import type { PhoneNumberParts } from '@switchboard/shared';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PartsCheck =
  | { ok: true; e164: string; country: string | null }
  | { ok: false; reason: 'invalid' | 'premium'; message: string };

/**
 * A number typed as country code, area code and number, as E.164. The full metadata tells the
 * number's type, so premium-rate and shared-cost numbers (and short codes, which are never valid
 * E.164 numbers) are refused before anything is dialled.
 */
export function checkNumberParts(parts: PhoneNumberParts, what: string): PartsCheck {
  const text = `+${parts.countryCode}${parts.areaCode ?? ''}${parts.number}`;
  const parsed = parsePhoneNumberFromString(text);
  if (!parsed?.isValid()) {
    return {
      ok: false,
      reason: 'invalid',
      message: `${text} is not a valid ${what}: check the country code, area code and number`,
    };
  }
  const type = parsed.getType();
  if (type === 'PREMIUM_RATE' || type === 'SHARED_COST') {
    return {
      ok: false,
      reason: 'premium',
      message: `${parsed.number} is a premium-rate number: web callback does not call those`,
    };
  }
  return { ok: true, e164: parsed.number, country: parsed.country ?? null };
}

/** The parts of a stored E.164 number, for showing it back in the form it was typed. */
export function partsOf(e164: string): { countryCode: string; number: string } {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed
    ? { countryCode: parsed.countryCallingCode, number: parsed.nationalNumber }
    : { countryCode: '', number: e164.replace(/^\+/, '') };
}
