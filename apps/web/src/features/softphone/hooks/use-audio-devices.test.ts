import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AudioDevice } from '../lib/audio-devices';
import { audioPreferencesKey } from '../lib/audio-preferences';
import { useAudioDevices } from './use-audio-devices';

const headsetMic: AudioDevice = { kind: 'audioinput', deviceId: 'mic-h', label: 'Headset Mic', groupId: 'h' };
const builtIn: AudioDevice[] = [
  { kind: 'audioinput', deviceId: 'default', label: 'Default', groupId: 'b' },
  { kind: 'audioinput', deviceId: 'mic-b', label: 'Built-in Mic', groupId: 'b' },
  { kind: 'audiooutput', deviceId: 'spk-b', label: 'Built-in Speakers', groupId: 'b' },
];

/** A browser's device list that the test changes, with its devicechange event. */
function fakeDevices(initial: AudioDevice[]) {
  let list = initial;
  const target = new EventTarget();
  const mediaDevices = Object.assign(target, { enumerateDevices: vi.fn(async () => list) });
  vi.stubGlobal('navigator', { ...globalThis.navigator, mediaDevices });
  return {
    change(next: AudioDevice[]) {
      list = next;
      target.dispatchEvent(new Event('devicechange'));
    },
  };
}

describe('useAudioDevices', () => {
  afterEach(() => {
    // Unmounted before the next test (and before the environment goes): a device list still being
    // read would otherwise set state after the test file's window is gone.
    cleanup();
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it('remembers the choice per user and falls back to the default when the device is unplugged', async () => {
    const devices = fakeDevices([...builtIn, headsetMic]);
    const { result } = renderHook(() => useAudioDevices(7));
    await waitFor(() => expect(result.current.state.devices).toHaveLength(4));
    act(() => result.current.state.setPreferences({ microphoneId: 'mic-h' }));
    expect(JSON.parse(localStorage.getItem(audioPreferencesKey(7)) ?? '{}').microphoneId).toBe('mic-h');
    expect(result.current.preferencesRef.current.microphoneId).toBe('mic-h');

    act(() => devices.change(builtIn));
    await waitFor(() => expect(result.current.state.preferences.microphoneId).toBeNull());
    expect(result.current.state.notices.map((n) => n.message)).toEqual([
      'Headset Mic is no longer available: the microphone is now the system default.',
    ]);
    expect(JSON.parse(localStorage.getItem(audioPreferencesKey(7)) ?? '{}').microphoneId).toBeNull();
  });

  it('offers a device plugged in, and a notice shows once however often it is reported', async () => {
    const devices = fakeDevices(builtIn);
    const { result } = renderHook(() => useAudioDevices(7));
    await waitFor(() => expect(result.current.state.devices).toHaveLength(3));
    act(() => devices.change([...builtIn, headsetMic]));
    await waitFor(() => expect(result.current.state.notices).toHaveLength(1));
    const offer = result.current.state.notices[0]!;
    expect(offer).toMatchObject({ kind: 'plugged', use: { microphoneId: 'mic-h' } });
    act(() => result.current.state.notify(offer));
    expect(result.current.state.notices).toHaveLength(1);
    act(() => result.current.state.dismissNotice(offer));
    expect(result.current.state.notices).toEqual([]);
  });

  it('keeps the microphone check for the browser session', () => {
    fakeDevices(builtIn);
    const first = renderHook(() => useAudioDevices(7));
    expect(first.result.current.state.microphoneChecked).toBe(false);
    act(() => first.result.current.state.markMicrophoneChecked());
    expect(first.result.current.state.microphoneChecked).toBe(true);
    expect(renderHook(() => useAudioDevices(7)).result.current.state.microphoneChecked).toBe(true);
    expect(renderHook(() => useAudioDevices(8)).result.current.state.microphoneChecked).toBe(false);
    sessionStorage.clear();
  });
});
