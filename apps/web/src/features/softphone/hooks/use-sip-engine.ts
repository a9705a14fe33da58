import type { SoftphoneConfig } from '@switchboard/shared';
import { type RefObject, useEffect, useState, useSyncExternalStore } from 'react';
import { type AudioPreferences, microphoneConstraints } from '../lib/audio-preferences';
import type { SoftphoneEngine } from '../lib/engine-types';
import type { Ownership } from '../lib/tab-ownership';
import type { AudioDevicesState } from './use-audio-devices';

const emptySubscribe = () => () => {};
const nullSnapshot = () => null;

/**
 * The engine (sip.js, loaded on demand) while this tab owns the softphone: it registers, and its
 * snapshot (registration and call) is this tab's `local` state.
 */
export function useSipEngine({
  ownership,
  web,
  audioRef,
  refetchConfig,
  preferencesRef,
  notifyDevice,
}: {
  ownership: Ownership;
  web: NonNullable<SoftphoneConfig['web']> | null;
  audioRef: RefObject<HTMLAudioElement | null>;
  refetchConfig: () => unknown;
  preferencesRef: RefObject<AudioPreferences>;
  notifyDevice: AudioDevicesState['notify'];
}) {
  const [engine, setEngine] = useState<SoftphoneEngine | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the audio element is read when the engine needs it, not when it starts
  useEffect(() => {
    if (ownership !== 'owner' || !web) return;
    let cancelled = false;
    let started: SoftphoneEngine | null = null;
    import('../lib/sip-engine')
      .then(({ createSipEngine }) => {
        if (cancelled) return;
        started = createSipEngine(web, {
          audioElement: () => audioRef.current,
          onCredentialsRejected: () => void refetchConfig(),
          microphoneConstraints: () => microphoneConstraints(preferencesRef.current),
          onMicrophoneLost: (label) =>
            notifyDevice({
              kind: 'unplugged',
              role: 'microphone',
              label,
              message: `${label} is no longer available: the microphone is now the system default.`,
            }),
        });
        started.start();
        setLoadError(null);
        setEngine(started);
      })
      .catch((err: unknown) => {
        if (!cancelled) setLoadError(`The softphone could not load (${String(err)}). Reload the page.`);
      });
    return () => {
      cancelled = true;
      if (started) void started.stop();
      setEngine(null);
    };
  }, [ownership, web, refetchConfig, preferencesRef, notifyDevice]);

  const local = useSyncExternalStore(
    engine?.subscribe ?? emptySubscribe,
    engine?.getSnapshot ?? nullSnapshot,
  );
  return { engine, loadError, local };
}
