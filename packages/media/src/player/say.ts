// Turns numbers and amounts into prompt names ("12 dollars 50 cents" → n-12 dollars n-50 cents).
// Names match the files scripts/make-prompts.sh generates.

export function sayNumber(n: number): string[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`cannot say ${n}`);
  if (n < 20) return [`n-${n}`];
  if (n < 100) {
    const tens = Math.floor(n / 10) * 10;
    return n % 10 === 0 ? [`n-${tens}`] : [`n-${tens}`, `n-${n % 10}`];
  }
  if (n < 1000) {
    const rest = n % 100;
    return [`n-${Math.floor(n / 100)}`, 'hundred', ...(rest ? sayNumber(rest) : [])];
  }
  if (n < 1_000_000) {
    const rest = n % 1000;
    return [...sayNumber(Math.floor(n / 1000)), 'thousand', ...(rest ? sayNumber(rest) : [])];
  }
  throw new Error(`cannot say ${n}: too large`);
}

/** Digits one by one (phone numbers, PINs). */
export function sayDigits(digits: string): string[] {
  return [...digits].filter((d) => d >= '0' && d <= '9').map((d) => `digit-${d}`);
}

/** An amount of money in minor units (cents). */
export function sayMoney(cents: number): string[] {
  const whole = Math.floor(Math.abs(cents) / 100);
  const minor = Math.abs(cents) % 100;
  const out: string[] = [];
  if (whole > 0 || minor === 0) out.push(...sayNumber(whole), whole === 1 ? 'dollar' : 'dollars');
  if (minor > 0) out.push(...sayNumber(minor), minor === 1 ? 'cent' : 'cents');
  return out;
}

export function sayMinutes(minutes: number): string[] {
  return [...sayNumber(minutes), minutes === 1 ? 'minute' : 'minutes'];
}
