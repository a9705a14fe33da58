/**
 * A level for the meter from one block of samples (-1..1): the RMS on a rough dB scale, so normal
 * speech fills about half of the bar and a whisper still moves it (-60 dBFS is empty, 0 dBFS full).
 */
export function levelOf(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += (samples[i] ?? 0) ** 2;
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

/**
 * Below -70 dBFS at every sample: what a muted or disconnected input sends. Its zeros do not arrive
 * as exact zeros (Chromium's capture path adds noise around -80 dBFS), while a working microphone,
 * even in a quiet room, has peaks well above this within a few seconds.
 */
export const silencePeak = 10 ** (-70 / 20);

export function isSilent(samples: ArrayLike<number>): boolean {
  for (let i = 0; i < samples.length; i++) if (Math.abs(samples[i] ?? 0) >= silencePeak) return false;
  return true;
}
