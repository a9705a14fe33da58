/**
 * Money is integers: balances and ledger amounts in minor units of their currency (cents for USD,
 * yen for JPY, fils for BHD), rates and costs in micros (millionths of the currency unit). Text is
 * parsed and printed digit by digit, never through a binary float.
 */

let knownCurrencies: Set<string> | null = null;

/** ISO 4217 codes this runtime knows (Intl); anything else is refused as an unknown currency. */
export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  if (!knownCurrencies) {
    const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
    knownCurrencies = new Set(
      intl.supportedValuesOf ? intl.supportedValuesOf('currency') : ['USD', 'EUR', 'GBP', 'JPY'],
    );
  }
  return knownCurrencies.has(code);
}

const digitsCache = new Map<string, number>();

/** Digits after the decimal point of the currency's minor unit: 2 for USD, 0 for JPY, 3 for BHD. */
export function currencyDigits(code: string): number {
  let d = digitsCache.get(code);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits as number;
    } catch {
      d = 2;
    }
    digitsCache.set(code, d);
  }
  return d;
}

/** Micros in one minor unit: 10,000 for USD (1 cent), 1,000,000 for JPY. */
export function microsPerMinor(code: string): number {
  return 10 ** (6 - currencyDigits(code));
}

/** `1250` USD → `"12.50"`; `-5` → `"-0.05"`; JPY `300` → `"300"`. */
export function formatMinor(minor: number, code: string): string {
  const digits = currencyDigits(code);
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${abs}`;
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** Micros as a decimal text with up to 6 places, trailing zeros dropped past 2: `12500` → `"0.0125"`. */
export function formatMicros(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = String(Math.abs(micros)).padStart(7, '0');
  let frac = abs.slice(-6);
  while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${sign}${abs.slice(0, -6)}.${frac}`;
}

export type ParsedAmount = { ok: true; value: number } | { ok: false; message: string };

/**
 * A decimal amount typed by a person or sent in JSON (`"12.50"`, `12.5`, `"12"`) as an integer of
 * `10^places` units. Signs, exponents, spaces inside and more places than allowed are refused.
 */
export function parseDecimal(input: unknown, places: number, max: number): ParsedAmount {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: 'Enter an amount such as 10.00' };
    text = String(input);
  } else if (typeof input === 'string') text = input.trim();
  else return { ok: false, message: 'Enter an amount such as 10.00' };
  if (text.startsWith('-')) return { ok: false, message: 'The amount must not be negative' };
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, message: 'Enter an amount such as 10.00 (digits and one decimal point)' };
  const frac = m[2] ?? '';
  if (frac.length > places) {
    return {
      ok: false,
      message: places === 0 ? 'This currency has no decimal places' : `At most ${places} decimal places`,
    };
  }
  const value = Number(m[1]) * 10 ** places + Number(frac.padEnd(places, '0') || '0');
  if (!Number.isSafeInteger(value) || value > max) return { ok: false, message: 'The amount is too large' };
  return { ok: true, value };
}

/** An amount of money in the currency's minor units (`"12.50"` USD → 1250). */
export function parseMoney(input: unknown, currency: string, maxMinor = 100_000_000_00): ParsedAmount {
  return parseDecimal(input, currencyDigits(currency), maxMinor);
}

/** A price in micros (`"0.0125"` → 12500), up to 6 decimal places. */
export function parseMicros(input: unknown, maxMicros = 1_000_000_000): ParsedAmount {
  return parseDecimal(input, 6, maxMicros);
}
