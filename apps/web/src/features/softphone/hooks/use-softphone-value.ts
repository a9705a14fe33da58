import { type RefObject, useMemo } from 'react';
import type { CallQualityView } from '../lib/call-quality-sample';
import type { SoftphoneEngine, SoftphoneSnapshot } from '../lib/engine-types';
import type { MicrophoneProblem } from '../lib/microphone';
import type { Ownership, TabOwnership } from '../lib/tab-ownership';
import type { AudioDevicesState } from './use-audio-devices';
import type { DeskPhoneStatus, SoftphoneContextValue } from './use-softphone';

/** What `useSoftphone()` gives the page: the state, and the actions on this tab's engine. */
export function useSoftphoneValue({
  mode,
  extension,
  ownership,
  ownershipRef,
  snapshot,
  setupError,
  deskPhone,
  microphoneProblem,
  setMicrophoneProblem,
  engine,
  withMicrophone,
  refetchConfig,
  audio,
  quality,
}: {
  mode: SoftphoneContextValue['mode'];
  extension: { number: string } | null;
  ownership: Ownership;
  ownershipRef: RefObject<TabOwnership | null>;
  snapshot: SoftphoneSnapshot | null;
  setupError: string | null;
  deskPhone: DeskPhoneStatus;
  microphoneProblem: MicrophoneProblem | null;
  setMicrophoneProblem: (problem: MicrophoneProblem | null) => void;
  engine: SoftphoneEngine | null;
  withMicrophone: (action: () => Promise<void>) => Promise<void>;
  refetchConfig: () => unknown;
  audio: AudioDevicesState;
  quality: CallQualityView | null;
}): SoftphoneContextValue {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the state setter and the ownership ref never change
  return useMemo<SoftphoneContextValue>(
    () => ({
      mode,
      extension: extension?.number ?? null,
      ownership,
      snapshot,
      remote: ownership !== 'owner',
      setupError,
      deskPhone,
      microphoneProblem,
      dismissMicrophoneProblem: () => setMicrophoneProblem(null),
      takeOver: () => ownershipRef.current?.takeOver(),
      retryNow: () => {
        if (setupError) void refetchConfig();
        engine?.retryNow();
      },
      dial: (number, headers, display) =>
        engine
          ? withMicrophone(() => engine.dial(number, { headers, display }))
          : Promise.reject(new Error('No softphone')),
      answer: () => (engine ? withMicrophone(() => engine.answer()) : Promise.resolve()),
      decline: () => engine?.decline() ?? Promise.resolve(),
      hangUp: () => engine?.hangUp() ?? Promise.resolve(),
      setMuted: (m) => engine?.setMuted(m),
      setHeld: (h) => engine?.setHeld(h) ?? Promise.resolve(),
      sendDtmf: (t) => engine?.sendDtmf(t) ?? Promise.resolve(),
      dismissEnded: () => engine?.dismissEnded(),
      audio,
      quality,
    }),
    [
      mode,
      extension,
      ownership,
      snapshot,
      setupError,
      deskPhone,
      microphoneProblem,
      engine,
      withMicrophone,
      refetchConfig,
      audio,
      quality,
    ],
  );
}
