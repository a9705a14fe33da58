import { describe, expect, it } from 'vitest';
import { isSilent, levelOf } from './microphone-level';

const tone = (amplitude: number) => Float32Array.from({ length: 480 }, (_, i) => amplitude * Math.sin(i / 3));

describe('microphone level', () => {
  it('is empty for silence and full at full scale', () => {
    expect(levelOf(new Float32Array(480))).toBe(0);
    expect(levelOf(Float32Array.from({ length: 480 }, () => 1))).toBe(1);
    expect(levelOf([])).toBe(0);
  });

  it('grows with loudness on a dB scale: speech about half, a whisper still shows', () => {
    const speech = levelOf(tone(0.05)); // about -29 dBFS RMS
    const whisper = levelOf(tone(0.003));
    expect(speech).toBeGreaterThan(0.4);
    expect(speech).toBeLessThan(0.6);
    expect(whisper).toBeGreaterThan(0);
    expect(whisper).toBeLessThan(speech);
  });
});

describe('isSilent', () => {
  it('is true for zeros and the capture noise around them (-80 dBFS), false for a quiet room', () => {
    expect(isSilent(new Float32Array(480))).toBe(true);
    expect(isSilent(tone(1.3e-4))).toBe(true);
    expect(isSilent(tone(-1.3e-4))).toBe(true);
    expect(isSilent(tone(0.001))).toBe(false); // -60 dBFS
    const click = new Float32Array(480);
    click[200] = -0.01;
    expect(isSilent(click)).toBe(false);
  });
});
