export type MicrophoneProblem = {
  kind: 'denied' | 'missing' | 'busy' | 'silent' | 'unsupported';
  detail: string;
};

/**
 * Asks for the microphone (the browser prompts the first time) and releases it at once: sip.js
 * opens its own stream. Resolves null when audio can be captured, else what went wrong.
 */
export async function checkMicrophone(
  audio: MediaTrackConstraints | boolean = true,
): Promise<MicrophoneProblem | null> {
  if (!navigator.mediaDevices?.getUserMedia)
    return {
      kind: 'unsupported',
      detail: 'This browser cannot capture audio on this page (it needs https or localhost).',
    };
  try {
    const stream = await openMicrophone(audio);
    for (const t of stream.getTracks()) t.stop();
    return null;
  } catch (err) {
    return microphoneProblem(err);
  }
}

const errorName = (err: unknown) =>
  err && typeof err === 'object' && 'name' in err && typeof err.name === 'string' ? err.name : '';

/**
 * Opens the microphone with `audio` constraints. A chosen device is asked for exactly (Chromium
 * may pick another one for an `ideal` device ID); when it is gone, the system default opens instead.
 */
export async function openMicrophone(audio: MediaTrackConstraints | boolean): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({ audio, video: false });
  } catch (err) {
    const name = errorName(err);
    if (
      typeof audio === 'object' &&
      audio.deviceId &&
      (name === 'OverconstrainedError' || name === 'NotFoundError')
    ) {
      const { deviceId: _gone, ...anyDevice } = audio;
      return navigator.mediaDevices.getUserMedia({ audio: anyDevice, video: false });
    }
    throw err;
  }
}

/** What a getUserMedia failure means for the agent. */
export function microphoneProblem(err: unknown): MicrophoneProblem {
  const name = errorName(err);
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return { kind: 'denied', detail: 'Microphone access is blocked for this site.' };
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return { kind: 'missing', detail: 'No microphone was found on this computer.' };
  if (name === 'NotReadableError')
    return { kind: 'busy', detail: 'The microphone is in use by another application or cannot be opened.' };
  return { kind: 'unsupported', detail: err instanceof Error ? err.message : String(err) };
}
