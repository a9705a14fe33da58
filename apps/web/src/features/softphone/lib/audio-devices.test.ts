import { describe, expect, it } from 'vitest';
import { type AudioDevice, audioDevices, deviceLabel, devicesFor, reconcileDevices } from './audio-devices';
import { type AudioPreferences, defaultAudioPreferences } from './audio-preferences';

const dev = (
  kind: AudioDevice['kind'],
  deviceId: string,
  label: string,
  groupId = `g-${deviceId}`,
): AudioDevice => ({
  kind,
  deviceId,
  label,
  groupId,
});
const builtIn = [
  dev('audioinput', 'default', 'Default - Built-in Microphone', 'g-built-in'),
  dev('audioinput', 'mic-built-in', 'Built-in Microphone', 'g-built-in'),
  dev('audiooutput', 'default', 'Default - Built-in Speakers', 'g-built-in'),
  dev('audiooutput', 'spk-built-in', 'Built-in Speakers', 'g-built-in'),
];
const headset = [
  dev('audioinput', 'mic-headset', 'Jabra Evolve2 Microphone', 'g-jabra'),
  dev('audiooutput', 'spk-headset', 'Jabra Evolve2 Headphones', 'g-jabra'),
];
const prefs = (p: Partial<AudioPreferences>): AudioPreferences => ({ ...defaultAudioPreferences, ...p });

describe('reconcileDevices', () => {
  it('falls back to the default when the chosen headset is unplugged, with a notice per role', () => {
    const chosen = prefs({ microphoneId: 'mic-headset', speakerId: 'spk-headset', ringerId: 'spk-built-in' });
    const r = reconcileDevices([...builtIn, ...headset], builtIn, chosen);
    expect(r.prefs).toEqual(prefs({ microphoneId: null, speakerId: null, ringerId: 'spk-built-in' }));
    expect(r.notices.map((n) => n.message)).toEqual([
      'Jabra Evolve2 Microphone is no longer available: the microphone is now the system default.',
      'Jabra Evolve2 Headphones is no longer available: the speaker is now the system default.',
    ]);
  });

  it('offers a newly plugged headset as microphone and speaker in one notice', () => {
    const r = reconcileDevices(builtIn, [...builtIn, ...headset], defaultAudioPreferences);
    expect(r.prefs).toBe(defaultAudioPreferences);
    expect(r.notices).toEqual([
      {
        kind: 'plugged',
        label: 'Jabra Evolve2 Microphone',
        message: 'Jabra Evolve2 Microphone was plugged in.',
        use: { microphoneId: 'mic-headset', speakerId: 'spk-headset' },
      },
    ]);
  });

  it('says nothing when the list is the same, or a device the agent did not choose goes away', () => {
    expect(reconcileDevices(builtIn, builtIn, prefs({ microphoneId: 'mic-built-in' })).notices).toEqual([]);
    const r = reconcileDevices([...builtIn, ...headset], builtIn, prefs({ microphoneId: 'mic-built-in' }));
    expect(r.notices).toEqual([]);
    expect(r.prefs.microphoneId).toBe('mic-built-in');
  });

  it('takes the first list after permission as the baseline, not as devices plugged in', () => {
    const hidden = [dev('audioinput', '', '', ''), dev('audiooutput', '', '', '')];
    expect(reconcileDevices(hidden, [...builtIn, ...headset], defaultAudioPreferences).notices).toEqual([]);
    expect(reconcileDevices([], [...builtIn, ...headset], defaultAudioPreferences).notices).toEqual([]);
  });

  it('keeps a saved choice while the browser still hides device IDs', () => {
    const hidden = [dev('audioinput', '', '', ''), dev('audiooutput', '', '', '')];
    const chosen = prefs({ microphoneId: 'mic-headset' });
    expect(reconcileDevices([], hidden, chosen).prefs).toBe(chosen);
  });

  it('names a device it never saw by its role', () => {
    const r = reconcileDevices([], builtIn, prefs({ ringerId: 'spk-gone' }));
    expect(r.notices[0]?.message).toBe(
      'Your ring device is no longer available: the ring device is now the system default.',
    );
  });
});

describe('device lists', () => {
  it('keeps audio devices only, and offers real devices per role without the default alias', () => {
    const all = audioDevices([
      ...builtIn,
      { kind: 'videoinput', deviceId: 'cam', label: 'Camera', groupId: 'c' } as MediaDeviceInfo,
    ]);
    expect(all).toHaveLength(4);
    expect(devicesFor(all, 'microphone').map((d) => d.deviceId)).toEqual(['mic-built-in']);
    expect(devicesFor(all, 'ringer').map((d) => d.deviceId)).toEqual(['spk-built-in']);
  });

  it('numbers devices whose labels the browser hides', () => {
    expect(deviceLabel(dev('audioinput', 'x', ''), 1)).toBe('Microphone 2');
    expect(deviceLabel(dev('audiooutput', 'x', 'USB'), 0)).toBe('USB');
  });
});
