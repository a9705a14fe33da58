import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FRAME_MS, MediaClock, PHASES } from './media-clock';

describe('MediaClock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls every listener once per 20 ms, with the period number as its tick', () => {
    const clock = new MediaClock(() => Date.now());
    const ticks: number[][] = [[], [], []];
    for (const seen of ticks) clock.subscribe((t) => seen.push(t));
    vi.advanceTimersByTime(1000);
    for (const seen of ticks) {
      expect(seen.length).toBeGreaterThanOrEqual(49);
      expect(seen.length).toBeLessThanOrEqual(50);
      // consecutive periods, none skipped or repeated
      expect(seen.every((t, i) => i === 0 || t === seen[i - 1]! + 1)).toBe(true);
    }
  });

  it('spreads listeners over the phases of the period, so frames do not all go out at once', () => {
    const clock = new MediaClock(() => Date.now());
    const firedAt: number[] = [];
    for (let i = 0; i < 100; i++) clock.subscribe(() => firedAt.push(Date.now()));
    vi.advanceTimersByTime(FRAME_MS * 10);
    const perInstant = new Map<number, number>();
    for (const t of firedAt) perInstant.set(t, (perInstant.get(t) ?? 0) + 1);
    // 100 listeners, 4 phases: 25 at each 5 ms step instead of 100 every 20 ms
    expect(Math.max(...perInstant.values())).toBe(100 / PHASES);
    expect(firedAt).toHaveLength(1000);
  });

  it('fills the emptiest phase as listeners come and go', () => {
    const clock = new MediaClock(() => Date.now());
    const offs = Array.from({ length: 8 }, () => clock.subscribe(() => {}));
    // free two listeners of the same phase (0 and 4 went to phase 0), then add two back
    offs[0]!();
    offs[4]!();
    const at: number[] = [];
    clock.subscribe(() => at.push(Date.now() % FRAME_MS));
    clock.subscribe(() => at.push(Date.now() % FRAME_MS));
    vi.advanceTimersByTime(FRAME_MS * 3);
    expect(new Set(at).size).toBe(1);
    expect(clock.size).toBe(8);
  });

  it('catches up at most five periods after a stall and goes on in step', () => {
    let now = 0;
    const clock = new MediaClock(() => now);
    const seen: number[] = [];
    clock.subscribe((t) => seen.push(t));
    now += 200;
    vi.advanceTimersByTime(FRAME_MS); // the timer fires once, 10 periods late
    expect(seen.length).toBeLessThanOrEqual(6);
    const before = seen.length;
    for (let i = 0; i < 10; i++) {
      now += FRAME_MS;
      vi.advanceTimersByTime(FRAME_MS);
    }
    expect(seen.length - before).toBe(10);
  });

  it('a throwing listener does not stop the others', () => {
    const clock = new MediaClock(() => Date.now());
    let calls = 0;
    for (let i = 0; i < PHASES; i++)
      clock.subscribe(() => {
        throw new Error('bug in one call');
      });
    clock.subscribe(() => calls++);
    vi.advanceTimersByTime(FRAME_MS * 5);
    expect(calls).toBeGreaterThanOrEqual(4);
  });

  it('stops its timer when the last listener leaves', () => {
    const clock = new MediaClock(() => Date.now());
    const off = clock.subscribe(() => {});
    expect(vi.getTimerCount()).toBe(1);
    off();
    expect(vi.getTimerCount()).toBe(0);
  });
});
