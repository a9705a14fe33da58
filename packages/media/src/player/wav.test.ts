import { describe, expect, it } from 'vitest';
import { encode } from '../codecs/g711';
import { sayDigits, sayMinutes, sayNumber } from './say';
import { decodeWav, encodeWavPcm16, parseWavHeader, pcm16Header } from './wav';

function g711Wav(law: 'PCMU' | 'PCMA', pcm: Int16Array): Buffer {
  const h = pcm16Header(1, 8000, pcm.length);
  h.writeUInt16LE(law === 'PCMU' ? 7 : 6, 20);
  h.writeUInt32LE(8000, 28);
  h.writeUInt16LE(1, 32);
  h.writeUInt16LE(8, 34);
  return Buffer.concat([h, Buffer.from(encode(law, pcm))]);
}

describe('WAV', () => {
  const pcm = Int16Array.from({ length: 400 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));

  it('reads PCM16, μ-law and A-law 8 kHz mono', () => {
    expect([...decodeWav(encodeWavPcm16(pcm))]).toEqual([...pcm]);
    for (const law of ['PCMU', 'PCMA'] as const) {
      const back = decodeWav(g711Wav(law, pcm));
      expect(back.length).toBe(pcm.length);
      expect(Math.max(...back.map((v, i) => Math.abs(v - pcm[i]!)))).toBeLessThan(300);
    }
  });

  it('rejects what a prompt cannot be, with a clear message', () => {
    const stereo = encodeWavPcm16(pcm, 2, 8000);
    expect(() => decodeWav(stereo, 'x.wav')).toThrow(/x\.wav: prompts must be 8 kHz mono/);
    expect(() => decodeWav(encodeWavPcm16(pcm, 1, 16000))).toThrow(/8 kHz/);
    expect(() => decodeWav(Buffer.from('not a wav file at all'))).toThrow(/RIFF/);
    expect(parseWavHeader(encodeWavPcm16(pcm)).dataBytes).toBe(800);
  });

  it('builds prompt sequences for numbers, digits and minutes', () => {
    expect(sayNumber(0)).toEqual(['n-0']);
    expect(sayNumber(15)).toEqual(['n-15']);
    expect(sayNumber(40)).toEqual(['n-40']);
    expect(sayNumber(100)).toEqual(['n-1', 'hundred']);
    expect(sayNumber(1001)).toEqual(['n-1', 'thousand', 'n-1']);
    expect(sayDigits('5 0-1')).toEqual(['digit-5', 'digit-0', 'digit-1']);
    expect(sayMinutes(1)).toEqual(['n-1', 'minute']);
    expect(sayMinutes(23)).toEqual(['n-20', 'n-3', 'minutes']);
    expect(() => sayNumber(-1)).toThrow();
  });
});
