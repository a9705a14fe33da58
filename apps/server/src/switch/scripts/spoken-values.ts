import { sayDigits, sayNumber } from '@switchboard/media';

/**
 * What a script can play: a prompt by name (a file of the prompt set), or a value spoken from the
 * prompt set's words ("twelve dollars and fifty cents", "twenty-three minutes").
 */
export type Prompt =
  | string
  | { number: number }
  | { digits: string }
  | { money: { minor: number; currency: string } }
  | { duration: { seconds: number; unit?: 'minutes' | 'seconds' } };

/** Currencies the prompt set can name; others are said as the number of units alone. */
const CURRENCY_WORDS: Record<string, { major: [string, string]; minor: [string, string] | null }> = {
  USD: { major: ['dollar', 'dollars'], minor: ['cent', 'cents'] },
  CAD: { major: ['dollar', 'dollars'], minor: ['cent', 'cents'] },
  AUD: { major: ['dollar', 'dollars'], minor: ['cent', 'cents'] },
  EUR: { major: ['euro', 'euros'], minor: ['cent', 'cents'] },
};

function plural(n: number, words: [string, string]): string {
  return n === 1 ? words[0] : words[1];
}

/** An amount in minor units: "12 dollars and 50 cents", "1 dollar", "50 cents", "0 dollars". */
export function sayAmount(minor: number, currency: string): string[] {
  if (!Number.isSafeInteger(minor)) throw new Error(`cannot say the amount ${minor}`);
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100);
  const cents = abs % 100;
  const words = CURRENCY_WORDS[currency.toUpperCase()];
  if (!words) return sayNumber(whole);
  const out: string[] = [];
  if (whole > 0 || cents === 0) out.push(...sayNumber(whole), plural(whole, words.major));
  if (cents > 0 && words.minor) {
    if (out.length > 0) out.push('and');
    out.push(...sayNumber(cents), plural(cents, words.minor));
  }
  return out;
}

/**
 * A duration: whole minutes by default ("23 minutes", rounded down: the time a caller can count
 * on), with hours named from 60 minutes on ("1 hour and 5 minutes"); under a minute, seconds.
 */
export function sayDuration(seconds: number, unit: 'minutes' | 'seconds' = 'minutes'): string[] {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`cannot say the duration ${seconds}`);
  const s = Math.floor(seconds);
  if (unit === 'seconds' || s < 60) return [...sayNumber(s), plural(s, ['second', 'seconds'])];
  const minutes = Math.floor(s / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return [...sayNumber(minutes), plural(minutes, ['minute', 'minutes'])];
  const out = [...sayNumber(hours), plural(hours, ['hour', 'hours'])];
  if (rest > 0) out.push('and', ...sayNumber(rest), plural(rest, ['minute', 'minutes']));
  return out;
}

/** Prompt names to play, in order, for a list of prompts and spoken values. */
export function promptNames(prompts: Prompt | Prompt[]): string[] {
  const list = Array.isArray(prompts) ? prompts : [prompts];
  const out: string[] = [];
  for (const p of list) {
    if (typeof p === 'string') out.push(p);
    else if ('number' in p) out.push(...sayNumber(p.number));
    else if ('digits' in p) out.push(...sayDigits(p.digits));
    else if ('money' in p) out.push(...sayAmount(p.money.minor, p.money.currency));
    else out.push(...sayDuration(p.duration.seconds, p.duration.unit));
  }
  return out;
}
