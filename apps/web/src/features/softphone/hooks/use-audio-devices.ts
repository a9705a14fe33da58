import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type AudioDevice, audioDevices, type DeviceNotice, reconcileDevices } from '../lib/audio-devices';
import { type AudioPreferences, loadAudioPreferences, saveAudioPreferences } from '../lib/audio-preferences';

export interface AudioDevicesState {
  preferences: AudioPreferences;
  /** The browser's audio devices (labels once the page may use the microphone). */
  devices: AudioDevice[];
  notices: DeviceNotice[];
  setPreferences(patch: Partial<AudioPreferences>): void;
  dismissNotice(notice: DeviceNotice): void;
  /** Adds a notice unless the same one is showing. */
  notify(notice: DeviceNotice): void;
  /** Reads the device list again (after permission was granted, labels become readable). */
  refreshDevices(): Promise<void>;
  /** The microphone check heard the microphone in this browser session (the shift's check is done). */
  microphoneChecked: boolean;
  markMicrophoneChecked(): void;
}

const microphoneCheckKey = (userId: number) => `switchboard.microphone-checked.${userId}`;

const browserStorage = () => {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
};

const sessionFlag = {
  get(key: string): boolean {
    try {
      return typeof globalThis.sessionStorage?.getItem(key) === 'string';
    } catch {
      return false;
    }
  },
  set(key: string): void {
    try {
      globalThis.sessionStorage?.setItem(key, String(Date.now()));
    } catch {
      // storage blocked: the check counts for this page only
    }
  },
};

/**
 * The agent's audio devices: the saved choice (per user, this browser), the device list, and what a
 * change of that list means — a chosen device unplugged falls back to the default, a new one is
 * offered. `preferencesRef` is for code outside React's render (the SIP engine's hooks, the ringtone).
 */
export function useAudioDevices(userId: number) {
  const [preferences, setPreferencesState] = useState(() => loadAudioPreferences(browserStorage(), userId));
  const preferencesRef = useRef(preferences);
  const [devices, setDevices] = useState<AudioDevice[]>([]);
  const devicesRef = useRef<AudioDevice[]>([]);
  const [notices, setNotices] = useState<DeviceNotice[]>([]);
  const [microphoneChecked, setMicrophoneChecked] = useState(() =>
    sessionFlag.get(microphoneCheckKey(userId)),
  );
  const markMicrophoneChecked = useCallback(() => {
    sessionFlag.set(microphoneCheckKey(userId));
    setMicrophoneChecked(true);
  }, [userId]);

  useEffect(() => {
    const loaded = loadAudioPreferences(browserStorage(), userId);
    preferencesRef.current = loaded;
    setPreferencesState(loaded);
  }, [userId]);

  const apply = useCallback(
    (next: AudioPreferences) => {
      preferencesRef.current = next;
      saveAudioPreferences(browserStorage(), userId, next);
      setPreferencesState(next);
    },
    [userId],
  );

  const setPreferences = useCallback(
    (patch: Partial<AudioPreferences>) => apply({ ...preferencesRef.current, ...patch }),
    [apply],
  );

  const notify = useCallback((notice: DeviceNotice) => {
    setNotices((list) => (list.some((n) => n.message === notice.message) ? list : [...list, notice]));
  }, []);

  const refreshDevices = useCallback(async () => {
    const md = globalThis.navigator?.mediaDevices;
    if (!md?.enumerateDevices) return;
    const current = audioDevices(await md.enumerateDevices());
    const r = reconcileDevices(devicesRef.current, current, preferencesRef.current);
    devicesRef.current = current;
    setDevices(current);
    if (r.prefs !== preferencesRef.current) apply(r.prefs);
    for (const n of r.notices) notify(n);
  }, [apply, notify]);

  useEffect(() => {
    const md = globalThis.navigator?.mediaDevices;
    if (!md) return;
    const onChange = () => void refreshDevices();
    void refreshDevices();
    md.addEventListener?.('devicechange', onChange);
    return () => md.removeEventListener?.('devicechange', onChange);
  }, [refreshDevices]);

  const dismissNotice = useCallback((notice: DeviceNotice) => {
    setNotices((list) => list.filter((n) => n !== notice));
  }, []);

  // One object while nothing in it changes: it goes into the softphone context, whose consumers
  // (the answer bar among them) should not re-render for nothing.
  const state = useMemo<AudioDevicesState>(
    () => ({
      preferences,
      devices,
      notices,
      setPreferences,
      dismissNotice,
      notify,
      refreshDevices,
      microphoneChecked,
      markMicrophoneChecked,
    }),
    [
      preferences,
      devices,
      notices,
      setPreferences,
      dismissNotice,
      notify,
      refreshDevices,
      microphoneChecked,
      markMicrophoneChecked,
    ],
  );
  return { state, preferencesRef };
}
