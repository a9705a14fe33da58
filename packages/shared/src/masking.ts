import type { NumberMasking } from './api/settings';

/**
 * Number masking: `********` for the whole number, or `59****40` keeping the first and
 * last digits. The mask keeps the number's length so agents can still tell numbers apart by shape,
 * and a leading `+` stays visible. Too short a number to keep anything hidden is hidden whole.
 */
export function maskNumber(number: string, masking: NumberMasking): string {
  if (masking.mode === 'off' || number === '') return number;
  const plus = number.startsWith('+') ? '+' : '';
  const digits = number.replace(/\D+/g, '');
  if (digits.length === 0) return number;
  if (masking.mode === 'all') return plus + '*'.repeat(Math.max(digits.length, 8));
  const { keepFirst, keepLast } = masking;
  if (keepFirst + keepLast >= digits.length) return plus + '*'.repeat(digits.length);
  return (
    plus +
    digits.slice(0, keepFirst) +
    '*'.repeat(digits.length - keepFirst - keepLast) +
    digits.slice(digits.length - keepLast)
  );
}

/**
 * A phone number written inside free text (a SIP display name such as `"+1 (415) 555-9876"`): an
 * optional `+`, then digits with up to two spaces, dots, dashes or brackets between them, five digits
 * or more (shorter runs are extensions and queue numbers, which are never masked).
 */
const NUMBER_IN_TEXT = /\+?\(?\d(?:[\s().-]{0,2}\d){4,}/g;

/**
 * Applies a number masker to every phone number inside free text, so a caller cannot carry the
 * real number past the masking in their display name. `mask` is the viewer's masker (identity when
 * numbers are not masked for them).
 */
export function maskNumbersInText(text: string, mask: (n: string) => string | null): string {
  return text.replace(NUMBER_IN_TEXT, (found) => {
    const number = (found.trimStart().startsWith('+') ? '+' : '') + found.replace(/\D+/g, '');
    return mask(number) ?? found;
  });
}

/** Whether a user of this role sees masked numbers under these settings. */
export function masksFor(role: 'agent' | 'supervisor' | 'admin', masking: NumberMasking): boolean {
  if (masking.mode === 'off') return false;
  return !(role !== 'agent' && masking.exemptSupervisors);
}
