import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Why a destination is refused before any rate is looked at (toll-fraud protection). */
export type DestinationRefusal = 'premium' | 'blocked_prefix' | 'country_not_allowed';

/**
 * The service's destination rules: premium-rate numbers are always refused (libphonenumber's full
 * metadata types them), then the service's blocked prefixes, then its allowed countries (empty: any).
 */
export function checkDestination(
  e164: string,
  rules: { allowedCountries: string[]; blockedPrefixes: string[] },
): DestinationRefusal | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed?.getType() === 'PREMIUM_RATE') return 'premium';
  const digits = e164.replace(/^\+/, '');
  if (rules.blockedPrefixes.some((p) => p && digits.startsWith(p.replace(/^\+/, ''))))
    return 'blocked_prefix';
  if (rules.allowedCountries.length > 0) {
    const country = parsed?.country ?? null;
    if (!country || !rules.allowedCountries.includes(country)) return 'country_not_allowed';
  }
  return null;
}

/** A caller ID the network hid or that is no number at all: such callers are never called back. */
export function isHiddenCallerId(number: string | null): boolean {
  if (!number) return true;
  if (/anonymous|private|unknown|restricted|unavailable/i.test(number)) return true;
  return !/^\+?[0-9]{3,20}$/.test(number);
}
