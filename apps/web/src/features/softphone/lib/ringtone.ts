/**
 * One AudioContext for the page, made on the first ring and then only resumed and suspended:
 * constructing an AudioContext costs tens of milliseconds on the main thread (audio device, audio
 * service round trips), and the ring starts in the same task that paints the answer bar
 * (bench/desk/README.md).
 */
let shared: AudioContext | null = null;
/** Rings playing now (a test ring in the settings and a real call may overlap). */
let ringing = 0;

function ringContext(): AudioContext | null {
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return null;
  if (!shared || shared.state === 'closed') shared = new Ctx();
  return shared;
}

/**
 * Makes the page's AudioContext ahead of the first ring, when the main thread is idle. The first
 * AudioContext of a page starts Chromium's audio service: in bench/desk that blocked the main thread
 * for 0.3–0.6 s on the first call after page load, before the answer bar could paint. It is left
 * suspended (no audio thread running) until a ring resumes it.
 */
export function prepareRingtone(): void {
  if (shared || !globalThis.AudioContext) return;
  const whenIdle =
    globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 500) as unknown as number);
  whenIdle(() => {
    if (shared) return; // a ring came first
    const ctx = ringContext();
    if (ctx && ctx.state !== 'closed') void ctx.suspend().catch(() => {});
  });
}

/** AudioContext.setSinkId (Chromium 110+), not in TypeScript's DOM library yet. */
type RoutableContext = AudioContext & { sinkId?: unknown; setSinkId?(sinkId: string): Promise<void> };

/**
 * Sends the page's ring audio to `deviceId` (null: the system default). A device that cannot be
 * opened leaves the ring where it was: a ring on the wrong speaker beats no ring.
 */
function routeRing(ctx: AudioContext, deviceId: string | null): void {
  const routable = ctx as RoutableContext;
  const wanted = deviceId ?? '';
  if (!routable.setSinkId || routable.sinkId === wanted) return;
  void routable.setSinkId(wanted).catch(() => {});
}

/**
 * A ringtone from a Web Audio oscillator (no asset): two tones, 1 s on, 2 s off, until stopped, on
 * the ring device. Returns a stop function. If the browser keeps the AudioContext suspended (no user
 * gesture yet), the notification and the answer bar still announce the call.
 */
export function startRingtone(deviceId: string | null = null): () => void {
  const ctx = ringContext();
  if (!ctx) return () => {};
  routeRing(ctx, deviceId);
  ringing += 1;
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
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    for (const o of oscillators) o.stop();
    gain.disconnect();
    // Suspended between calls: no audio thread running all day. A ring started meanwhile resumes
    // it again (the context runs its suspend/resume requests in order).
    ringing -= 1;
    if (ringing === 0) void ctx.suspend().catch(() => {});
  };
}
