import { createContext, useContext } from 'react';
import type { CallQualityView } from '../lib/call-quality-sample';
import type { SoftphoneSnapshot } from '../lib/engine-types';
import type { MicrophoneProblem } from '../lib/microphone';
import type { Ownership } from '../lib/tab-ownership';
import type { AudioDevicesState } from './use-audio-devices';

export type DeskPhoneStatus = 'unknown' | 'registered' | 'unregistered';

export interface SoftphoneContextValue {
  mode: 'none' | 'web' | 'sip';
  extension: string | null;
  ownership: Ownership;
  /** This tab's engine snapshot, or the owning tab's (shared over BroadcastChannel) when `remote`. */
  snapshot: SoftphoneSnapshot | null;
  remote: boolean;
  /** Why the softphone cannot start (config could not be loaded, sip.js failed to load). */
  setupError: string | null;
  deskPhone: DeskPhoneStatus;
  microphoneProblem: MicrophoneProblem | null;
  dismissMicrophoneProblem(): void;
  takeOver(): void;
  retryNow(): void;
  dial(number: string, headers?: string[], display?: string): Promise<void>;
  answer(): Promise<void>;
  decline(): Promise<void>;
  hangUp(): Promise<void>;
  setMuted(muted: boolean): void;
  setHeld(held: boolean): Promise<void>;
  sendDtmf(tone: string): Promise<void>;
  dismissEnded(): void;
  /** Microphone, speaker and ring device, audio processing; device notices. */
  audio: AudioDevicesState;
  /** The call in progress's quality (this tab's call only; null before the first reading). */
  quality: CallQualityView | null;
}

export const SoftphoneContext = createContext<SoftphoneContextValue | null>(null);

export function useSoftphone(): SoftphoneContextValue {
  const value = useContext(SoftphoneContext);
  if (!value) throw new Error('useSoftphone needs <SoftphoneProvider>');
  return value;
}
