import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DigitBuffer } from './digit-buffer';

describe('DigitBuffer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends on the terminator, which is not part of the entry', async () => {
    const b = new DigitBuffer();
    const p = b.collect({
      maxDigits: 10,
      terminator: '#',
      firstDigitTimeoutMs: 5000,
      interDigitTimeoutMs: 3000,
    });
    for (const d of '1234#') b.push(d);
    await expect(p).resolves.toEqual({ digits: '1234', end: 'terminator' });
    expect(b.armed).toBe(0);
  });

  it('ends at maxDigits and keeps later digits for the next collection', async () => {
    const b = new DigitBuffer();
    const p = b.collect({ maxDigits: 2, firstDigitTimeoutMs: 5000 });
    for (const d of '1234') b.push(d);
    await expect(p).resolves.toEqual({ digits: '12', end: 'max_digits' });
    expect(b.pending).toBe('34');
    await expect(b.collect({ maxDigits: 1, firstDigitTimeoutMs: 5000 })).resolves.toEqual({
      digits: '3',
      end: 'max_digits',
    });
    expect(b.pending).toBe('4');
  });

  it('counts type-ahead typed before the collection started', async () => {
    const b = new DigitBuffer();
    b.push('9');
    b.push('#');
    b.push('7');
    await expect(b.collect({ maxDigits: 5, terminator: '#', firstDigitTimeoutMs: 1000 })).resolves.toEqual({
      digits: '9',
      end: 'terminator',
    });
    expect(b.pending).toBe('7');
    b.clear();
    expect(b.pending).toBe('');
  });

  it('times out empty on the first digit, and with what was typed between digits', async () => {
    const b = new DigitBuffer();
    const first = b.collect({ maxDigits: 4, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000 });
    await vi.advanceTimersByTimeAsync(4999);
    b.push('1');
    await vi.advanceTimersByTimeAsync(1999);
    b.push('2');
    await vi.advanceTimersByTimeAsync(2000);
    await expect(first).resolves.toEqual({ digits: '12', end: 'timeout' });
    const empty = b.collect({ maxDigits: 4, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000 });
    await vi.advanceTimersByTimeAsync(5000);
    await expect(empty).resolves.toEqual({ digits: '', end: 'timeout' });
    expect(b.armed).toBe(0);
  });

  it('a hang-up ends a running collection with what it has and disarms its timer', async () => {
    const b = new DigitBuffer();
    const p = b.collect({ maxDigits: 4, firstDigitTimeoutMs: 5000 });
    b.push('5');
    b.close();
    await expect(p).resolves.toEqual({ digits: '5', end: 'hangup' });
    expect(b.armed).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await expect(b.collect({ maxDigits: 1, firstDigitTimeoutMs: 10 })).resolves.toEqual({
      digits: '',
      end: 'hangup',
    });
  });

  it('refuses a second collection at once and a bad maxDigits', () => {
    const b = new DigitBuffer();
    void b.collect({ maxDigits: 1, firstDigitTimeoutMs: 1000 });
    expect(() => b.collect({ maxDigits: 1, firstDigitTimeoutMs: 1000 })).toThrow(/already running/);
    expect(() => new DigitBuffer().collect({ maxDigits: 0, firstDigitTimeoutMs: 1000 })).toThrow();
  });

  it('tells listeners of each digit as it arrives', () => {
    const b = new DigitBuffer();
    const seen: string[] = [];
    const off = b.onDigit((d) => seen.push(d));
    b.push('1');
    off();
    b.push('2');
    expect(seen).toEqual(['1']);
  });
});
