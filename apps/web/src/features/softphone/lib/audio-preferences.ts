/**
 * The agent's audio settings in this browser: device IDs are per browser profile (Chrome hashes them
 * per origin), so they are kept in localStorage, per signed-in user, not on the server.
 */
export interface AudioPreferences {
  /** null: the system default device. */
  microphoneId: string | null;
  /** Call audio. */
  speakerId: string | null;
  /** The ringtone (e.g. the computer's speakers while calls go to the headset). */
  ringerId: string | null;
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}

export const defaultAudioPreferences: AudioPreferences = {
  microphoneId: null,
  speakerId: null,
  ringerId: null,
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

export const audioPreferencesKey = (userId: number) => `switchboard.audio.${userId}`;

const deviceId = (v: unknown) => (typeof v === 'string' && v !== '' && v !== 'default' ? v : null);
const flag = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback);

/** What was saved, field by field; anything missing or malformed is the default. */
export function parseAudioPreferences(raw: string | null): AudioPreferences {
  let v: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === 'object') v = parsed as Record<string, unknown>;
  } catch {
    // a damaged entry: start from the defaults
  }
  const d = defaultAudioPreferences;
  return {
    microphoneId: deviceId(v.microphoneId),
    speakerId: deviceId(v.speakerId),
    ringerId: deviceId(v.ringerId),
    echoCancellation: flag(v.echoCancellation, d.echoCancellation),
    noiseSuppression: flag(v.noiseSuppression, d.noiseSuppression),
    autoGainControl: flag(v.autoGainControl, d.autoGainControl),
  };
}

export function loadAudioPreferences(storage: Storage | null, userId: number): AudioPreferences {
  try {
    return parseAudioPreferences(storage?.getItem(audioPreferencesKey(userId)) ?? null);
  } catch {
    return defaultAudioPreferences; // storage blocked (privacy settings)
  }
}

export function saveAudioPreferences(storage: Storage | null, userId: number, prefs: AudioPreferences): void {
  try {
    storage?.setItem(audioPreferencesKey(userId), JSON.stringify(prefs));
  } catch {
    // storage full or blocked: the choice holds for this page only
  }
}

/** getUserMedia constraints for the chosen microphone (opened with openMicrophone, which falls back). */
export function microphoneConstraints(prefs: AudioPreferences): MediaTrackConstraints {
  return {
    ...(prefs.microphoneId ? { deviceId: { exact: prefs.microphoneId } } : {}),
    echoCancellation: prefs.echoCancellation,
    noiseSuppression: prefs.noiseSuppression,
    autoGainControl: prefs.autoGainControl,
  };
}
