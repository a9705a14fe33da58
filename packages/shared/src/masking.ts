import type { NumberMasking } from './api/settings';

/**
 * Seed 004's number masking: `********` for the whole number, or `59****40` keeping the first and
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

/** Whether a user of this role sees masked numbers under these settings. */
export function masksFor(role: 'agent' | 'supervisor' | 'admin', masking: NumberMasking): boolean {
  if (masking.mode === 'off') return false;
  return !(role !== 'agent' && masking.exemptSupervisors);
}
