import { describe, expect, it } from 'vitest';
import { DigitStream } from './digit-stream';
import {
  buildTelephoneEvent,
  parseTelephoneEvent,
  planDigit,
  TelephoneEventDetector,
} from './telephone-event';

describe('RFC 4733 telephone-event', () => {
  it('builds and parses an event payload', () => {
    const b = buildTelephoneEvent(11, true, 10, 800);
    expect(parseTelephoneEvent(b, 0, 4)).toEqual({ event: 11, end: true, volume: 10, duration: 800 });
    expect(parseTelephoneEvent(b, 0, 3)).toBeNull();
  });

  it('plans updates with marker on the first and three end packets', () => {
    const plan = planDigit('5', 100);
    expect(plan.filter((p) => p.marker)).toHaveLength(1);
    expect(plan.slice(-3).every((p) => parseTelephoneEvent(p.payload, 0, 4)!.end)).toBe(true);
    expect(plan.length).toBe(5 + 3);
  });

  it('reports each key press once despite updates and the triple end packet', () => {
    const det = new TelephoneEventDetector();
    const digits: string[] = [];
    const press = (ssrc: number, ts: number, digit: string) => {
      for (const step of planDigit(digit)) {
        const d = det.push(ssrc, ts, parseTelephoneEvent(step.payload, 0, 4)!);
        if (d) digits.push(d);
      }
    };
    press(7, 1000, '1');
    press(7, 3000, '1'); // same digit again: new timestamp, new event
    press(8, 3000, '#'); // another SSRC (sipp sends events on their own SSRC)
    press(7, 5000, '*');
    // Two event streams interleaved packet by packet (pcap on its own SSRC + an echo of ours).
    const a = planDigit('7');
    const b = planDigit('9');
    for (let i = 0; i < a.length; i++) {
      for (const [ssrc, ts, step] of [
        [1, 100, a[i]!],
        [2, 900, b[i]!],
      ] as const) {
        const d = det.push(ssrc, ts, parseTelephoneEvent(step.payload, 0, 4)!);
        if (d) digits.push(d);
      }
    }
    expect(digits).toEqual(['1', '1', '#', '*', '7', '9']);
  });
});

describe('DigitStream', () => {
  it('collects until the terminator and keeps type-ahead', async () => {
    const s = new DigitStream();
    s.emit('1'); // typed before anyone listened
    const p = s.collect({ terminator: '#', firstDigitTimeoutMs: 1000, interDigitTimeoutMs: 1000 });
    s.emit('2');
    s.emit('3');
    s.emit('#');
    expect(await p).toBe('123');
  });

  it('times out between digits', async () => {
    const s = new DigitStream();
    const p = s.collect({ maxDigits: 5, firstDigitTimeoutMs: 500, interDigitTimeoutMs: 50 });
    s.emit('9');
    expect(await p).toBe('9');
    expect(await s.nextDigit(30)).toBeNull();
  });
});
