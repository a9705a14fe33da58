import { type RefObject, useEffect, useRef } from 'react';
import type { AudioPreferences } from '../lib/audio-preferences';
import type { SoftphoneEngine } from '../lib/engine-types';
import type { AudioDevicesState } from './use-audio-devices';

/**
 * The chosen devices apply at once, also to a call in progress: the speaker through the call
 * audio's sink, the microphone and its processing by swapping the sender's track.
 */
export function useDeviceChoices(
  audioRef: RefObject<HTMLAudioElement | null>,
  preferences: AudioPreferences,
  engine: SoftphoneEngine | null,
  notifyDevice: AudioDevicesState['notify'],
): void {
  const { speakerId, microphoneId, echoCancellation, noiseSuppression, autoGainControl } = preferences;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the one audio element is mounted with the provider and stays
  useEffect(() => {
    const el = audioRef.current;
    if (!el?.setSinkId || el.sinkId === (speakerId ?? '')) return;
    el.setSinkId(speakerId ?? '').catch(() => {
      notifyDevice({
        kind: 'unplugged',
        role: 'speaker',
        label: 'The chosen speaker',
        message: 'The chosen speaker cannot play audio: calls play on the system default.',
      });
    });
  }, [speakerId, notifyDevice]);
  const microphoneKey = JSON.stringify([microphoneId, echoCancellation, noiseSuppression, autoGainControl]);
  const microphoneKeyRef = useRef(microphoneKey);
  useEffect(() => {
    if (microphoneKeyRef.current === microphoneKey) return;
    microphoneKeyRef.current = microphoneKey;
    engine?.replaceMicrophone().catch((err: unknown) => console.error('microphone change failed', err));
  }, [engine, microphoneKey]);
}
