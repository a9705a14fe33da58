import { describe, expect, it } from 'vitest';
import {
  ALAW_TO_ULAW,
  decode,
  decodeSample,
  encode,
  encodeSample,
  transcodeInPlace,
  ULAW_TO_ALAW,
} from './g711';

describe('G.711', () => {
  it('matches reference values from ITU-T G.711', () => {
    expect(encodeSample('PCMU', 0)).toBe(0xff);
    expect(encodeSample('PCMA', 0)).toBe(0xd5);
    expect(decodeSample('PCMU', 0x00)).toBe(-32124);
    expect(decodeSample('PCMU', 0x80)).toBe(32124);
    expect(decodeSample('PCMA', 0x55)).toBe(-8);
    expect(decodeSample('PCMA', 0xd5)).toBe(8);
    expect(decodeSample('PCMA', 0x2a)).toBe(-32256);
  });

  it('round-trips every code word for both laws', () => {
    for (const law of ['PCMU', 'PCMA'] as const) {
      for (let b = 0; b < 256; b++) {
        const enc = encodeSample(law, decodeSample(law, b));
        // μ-law has two zeros (0x7f and 0xff); both decode to 0.
        expect(decodeSample(law, enc)).toBe(decodeSample(law, b));
      }
    }
  });

  it('keeps quantisation error small for a sine', () => {
    const pcm = new Int16Array(800);
    for (let i = 0; i < pcm.length; i++)
      pcm[i] = Math.round(10000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
    for (const law of ['PCMU', 'PCMA'] as const) {
      const back = decode(law, encode(law, pcm));
      let err = 0;
      for (let i = 0; i < pcm.length; i++) err = Math.max(err, Math.abs(back[i]! - pcm[i]!));
      expect(err).toBeLessThan(400);
    }
  });

  it('transcodes PCMU↔PCMA through direct tables, consistent with decode', () => {
    for (let b = 0; b < 256; b++) {
      expect(Math.abs(decodeSample('PCMA', ULAW_TO_ALAW[b]!) - decodeSample('PCMU', b))).toBeLessThanOrEqual(
        Math.max(64, Math.abs(decodeSample('PCMU', b)) / 16),
      );
    }
    const buf = Buffer.from([0xff, 0x00, 0x80, 0x7f]);
    transcodeInPlace('PCMU', 'PCMA', buf);
    expect([...buf]).toEqual([...Buffer.from([0xff, 0x00, 0x80, 0x7f])].map((b) => ULAW_TO_ALAW[b]));
    transcodeInPlace('PCMA', 'PCMU', buf);
    expect(buf[0]).toBe(ALAW_TO_ULAW[ULAW_TO_ALAW[0xff]!]);
  });
});
