/**
 * A ringtone from a Web Audio oscillator (no asset): two tones, 1 s on, 2 s off, until stopped.
 * Returns a stop function. If the browser keeps the AudioContext suspended (no user gesture yet), the
 * notification and the answer bar still announce the call.
 */
export function startRingtone(): () => void {
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return () => {};
  const ctx = new Ctx();
  void ctx.resume().catch(() => {});
  const gain = ctx.createGain();
  gain.gain.value = 0;
  gain.connect(ctx.destination);
  const oscillators = [440, 480].map((f) => {
    const o = ctx.createOscillator();
    o.frequency.value = f;
    o.connect(gain);
    o.start();
    return o;
  });
  const schedule = () => {
    const t = ctx.currentTime;
    for (let i = 0; i < 20; i++) {
      const start = t + i * 3;
      gain.gain.setValueAtTime(0.12, start);
      gain.gain.setValueAtTime(0, start + 1);
    }
  };
  schedule();
  const timer = setInterval(schedule, 60_000);
  return () => {
    clearInterval(timer);
    for (const o of oscillators) o.stop();
    void ctx.close().catch(() => {});
  };
}
