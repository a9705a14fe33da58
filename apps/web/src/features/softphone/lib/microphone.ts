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
    const stream = await navigator.mediaDevices.getUserMedia({ audio, video: false });
    for (const t of stream.getTracks()) t.stop();
    return null;
  } catch (err) {
    return microphoneProblem(err);
  }
}

/** What a getUserMedia failure means for the agent. */
export function microphoneProblem(err: unknown): MicrophoneProblem {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return { kind: 'denied', detail: 'Microphone access is blocked for this site.' };
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return { kind: 'missing', detail: 'No microphone was found on this computer.' };
  if (name === 'NotReadableError')
    return { kind: 'busy', detail: 'The microphone is in use by another application or cannot be opened.' };
  return { kind: 'unsupported', detail: err instanceof Error ? err.message : String(err) };
}
