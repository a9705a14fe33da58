import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PROMPT_DIR } from '@switchboard/media';
import { describe, expect, it } from 'vitest';
import { promptNames, sayAmount, sayDuration } from './spoken-values';

describe('spoken values', () => {
  it('says money in words with "and" between the units', () => {
    expect(sayAmount(1250, 'USD')).toEqual(['n-12', 'dollars', 'and', 'n-50', 'cents']);
    expect(sayAmount(100, 'USD')).toEqual(['n-1', 'dollar']);
    expect(sayAmount(1, 'USD')).toEqual(['n-1', 'cent']);
    expect(sayAmount(0, 'USD')).toEqual(['n-0', 'dollars']);
    expect(sayAmount(250_075, 'EUR')).toEqual([
      'n-2',
      'thousand',
      'n-5',
      'hundred',
      'euros',
      'and',
      'n-70',
      'n-5',
      'cents',
    ]);
    // A currency the prompt set cannot name: the number of whole units only.
    expect(sayAmount(4200, 'JPY')).toEqual(['n-40', 'n-2']);
    expect(() => sayAmount(1.5, 'USD')).toThrow();
  });

  it('says durations in minutes (rounded down), hours from an hour on, seconds under a minute', () => {
    expect(sayDuration(23 * 60 + 59)).toEqual(['n-20', 'n-3', 'minutes']);
    expect(sayDuration(60)).toEqual(['n-1', 'minute']);
    expect(sayDuration(45)).toEqual(['n-40', 'n-5', 'seconds']);
    expect(sayDuration(1)).toEqual(['n-1', 'second']);
    expect(sayDuration(3900)).toEqual(['n-1', 'hour', 'and', 'n-5', 'minutes']);
    expect(sayDuration(7200)).toEqual(['n-2', 'hours']);
    expect(sayDuration(90, 'seconds')).toEqual(['n-90', 'seconds']);
    expect(() => sayDuration(-1)).toThrow();
  });

  it('mixes prompts and values, and every name is a file of the prompt set', () => {
    const names = promptNames([
      'your-balance-is',
      { money: { minor: 1999, currency: 'USD' } },
      'you-can-talk-for',
      { duration: { seconds: 3725 } },
      { digits: '5551234' },
      { number: 101 },
      { money: { minor: 5, currency: 'EUR' } },
      { duration: { seconds: 1 } },
    ]);
    expect(names.slice(0, 6)).toEqual(['your-balance-is', 'n-19', 'dollars', 'and', 'n-90', 'n-9']);
    for (const name of names)
      expect(existsSync(path.join(DEFAULT_PROMPT_DIR, `${name}.wav`)), name).toBe(true);
  });
});
