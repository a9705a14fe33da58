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
 * Digital silence: every sample exactly zero. A muted or disconnected input sends that; a working one,
 * even in a quiet room, never does (there is always some noise).
 */
export function isSilent(samples: ArrayLike<number>): boolean {
  for (let i = 0; i < samples.length; i++) if (samples[i] !== 0) return false;
  return true;
}
