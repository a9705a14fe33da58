import { toE164 } from '@switchboard/shared';

/** Characters a person types around a number that carry no meaning: spaces, dashes, dots, brackets. */
const formatting = /[\s\-.()/]/g;

/**
 * Checks an outside number typed for a transfer. International numbers (`+…`) must be possible
 * E.164 numbers; national numbers (digits only) are left to the switch, which knows the country.
 */
export function checkOutsideNumber(input: string): { number: string } | { error: string } {
  const compact = input.replace(formatting, '');
  if (compact === '') return { error: 'Enter the number to transfer to' };
  if (!/^\+?[0-9]+$/.test(compact)) return { error: 'Use digits only, with an optional + in front' };
  if (compact.startsWith('+')) {
    const e164 = toE164(compact);
    return e164 ? { number: e164 } : { error: 'This is not a valid international number' };
  }
  if (compact.length < 3 || compact.length > 15) return { error: 'A phone number has 3 to 15 digits' };
  return { number: compact };
}
