/**
 * The arithmetic of a prepaid call, on integers only: prices and fees in micros (millionths of the
 * currency unit), balances and charges in minor units (a charge is rounded up to the minor unit).
 */

export interface BillingRate {
  pricePerMinuteMicros: number;
  connectFeeMicros: number;
  /** The first billing increment in seconds (a call of 1 s pays this many). */
  initialIncrementS: number;
  /** Each further increment in seconds. */
  incrementS: number;
}

/** Seconds billed for a call that lasted `seconds` (rounded up by the increments; 0 → 0). */
export function billedSeconds(rate: BillingRate, seconds: number): number {
  const s = Math.ceil(seconds);
  if (s <= 0) return 0;
  if (s <= rate.initialIncrementS) return rate.initialIncrementS;
  return rate.initialIncrementS + Math.ceil((s - rate.initialIncrementS) / rate.incrementS) * rate.incrementS;
}

function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** What a call of `seconds` costs, in micros: connect fee plus the billed seconds at the rate (0 s → 0). */
export function costMicros(rate: BillingRate, seconds: number): number {
  const billed = billedSeconds(rate, seconds);
  if (billed === 0) return 0;
  return rate.connectFeeMicros + ceilDiv(rate.pricePerMinuteMicros * billed, 60);
}

/** The same in minor units of the currency, rounded up. */
export function costMinor(rate: BillingRate, seconds: number, microsPerMinor: number): number {
  return ceilDiv(costMicros(rate, seconds), microsPerMinor);
}

/**
 * The longest call `availableMinor` pays for: the last increment boundary whose cost fits, capped
 * at `capS` (0 when not even the first increment fits). A free destination gets the cap.
 */
export function maxDurationSeconds(
  rate: BillingRate,
  availableMinor: number,
  microsPerMinor: number,
  capS: number,
): number {
  if (availableMinor < 0) return 0;
  const budgetMicros = availableMinor * microsPerMinor - rate.connectFeeMicros;
  if (budgetMicros < 0) return 0;
  if (rate.pricePerMinuteMicros === 0) return capS;
  // cost(B) ≤ budget ⟺ ceil(price·B / 60) ≤ budget ⟺ price·B ≤ 60·budget.
  const maxBilled = Math.floor((60 * budgetMicros) / rate.pricePerMinuteMicros);
  if (maxBilled < rate.initialIncrementS) return 0;
  const steps = Math.floor((maxBilled - rate.initialIncrementS) / rate.incrementS);
  return Math.min(rate.initialIncrementS + steps * rate.incrementS, capS);
}
