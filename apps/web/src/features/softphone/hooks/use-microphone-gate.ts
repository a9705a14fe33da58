import { type RefObject, useCallback, useState } from 'react';
import { type AudioPreferences, microphoneConstraints } from '../lib/audio-preferences';
import { checkMicrophone, type MicrophoneProblem } from '../lib/microphone';

/**
 * Dialing and answering first check the microphone: `withMicrophone` runs the action only when it
 * opens, and otherwise leaves the problem for the help dialog.
 */
export function useMicrophoneGate(preferencesRef: RefObject<AudioPreferences>) {
  const [microphoneProblem, setMicrophoneProblem] = useState<MicrophoneProblem | null>(null);
  const withMicrophone = useCallback(
    async (action: () => Promise<void>) => {
      const problem = await checkMicrophone(microphoneConstraints(preferencesRef.current));
      setMicrophoneProblem(problem);
      if (!problem) await action();
    },
    [preferencesRef],
  );
  return { microphoneProblem, setMicrophoneProblem, withMicrophone };
}
