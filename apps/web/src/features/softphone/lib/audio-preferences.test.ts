import { describe, expect, it } from 'vitest';
import {
  audioPreferencesKey,
  defaultAudioPreferences,
  loadAudioPreferences,
  microphoneConstraints,
  parseAudioPreferences,
  saveAudioPreferences,
} from './audio-preferences';

describe('audio preferences', () => {
  it('are remembered per user in this browser', () => {
    localStorage.clear();
    const mine = { ...defaultAudioPreferences, microphoneId: 'mic-2', noiseSuppression: false };
    saveAudioPreferences(localStorage, 7, mine);
    expect(loadAudioPreferences(localStorage, 7)).toEqual(mine);
    expect(loadAudioPreferences(localStorage, 8)).toEqual(defaultAudioPreferences);
    expect(localStorage.getItem(audioPreferencesKey(7))).toContain('mic-2');
  });

  it('have processing on and the system devices by default, also from a damaged entry', () => {
    expect(parseAudioPreferences(null)).toEqual(defaultAudioPreferences);
    expect(parseAudioPreferences('{not json')).toEqual(defaultAudioPreferences);
    expect(parseAudioPreferences('{"echoCancellation":"no","speakerId":42,"ringerId":"default"}')).toEqual(
      defaultAudioPreferences,
    );
  });

  it('ask for the chosen microphone exactly, with the processing settings', () => {
    expect(
      microphoneConstraints({ ...defaultAudioPreferences, microphoneId: 'mic-2', autoGainControl: false }),
    ).toEqual({
      deviceId: { exact: 'mic-2' },
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: false,
    });
    expect(microphoneConstraints(defaultAudioPreferences)).not.toHaveProperty('deviceId');
  });
});
