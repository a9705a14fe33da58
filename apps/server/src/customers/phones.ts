import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

export type PhoneCheck = { ok: true; e164: string } | { ok: false; message: string };

/** Validates a typed phone number and normalises it to E.164, with a message an agent can act on. */
export function checkPhone(input: string, defaultCountry: string): PhoneCheck {
  const text = input.trim();
  if (!text) return { ok: false, message: 'Enter a phone number or remove the row' };
  if (/[^0-9+()\-.\s/x#*]/i.test(text)) {
    return { ok: false, message: `"${text}" is not a phone number: use digits, spaces, + ( ) - only` };
  }
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode);
  if (!parsed) {
    return {
      ok: false,
      message: text.startsWith('+')
        ? `"${text}" is not a phone number`
        : `"${text}" is not a phone number in ${defaultCountry}; add the country code with +`,
    };
  }
  if (!parsed.isPossible()) {
    return {
      ok: false,
      message: `"${text}" has the wrong number of digits for ${parsed.country ?? 'its country'}`,
    };
  }
  return { ok: true, e164: parsed.number };
}
