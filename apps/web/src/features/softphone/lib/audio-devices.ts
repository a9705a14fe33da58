import type { AudioPreferences } from './audio-preferences';

/** The fields of a MediaDeviceInfo used here (a plain object, so it can be compared and tested). */
export interface AudioDevice {
  deviceId: string;
  kind: 'audioinput' | 'audiooutput';
  label: string;
  groupId: string;
}

export type DeviceRole = 'microphone' | 'speaker' | 'ringer';

const roleKind: Record<DeviceRole, AudioDevice['kind']> = {
  microphone: 'audioinput',
  speaker: 'audiooutput',
  ringer: 'audiooutput',
};
const roleKey = {
  microphone: 'microphoneId',
  speaker: 'speakerId',
  ringer: 'ringerId',
} as const satisfies Record<DeviceRole, keyof AudioPreferences>;
const roleName: Record<DeviceRole, string> = {
  microphone: 'microphone',
  speaker: 'speaker',
  ringer: 'ring device',
};

export function audioDevices(
  list: readonly Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label' | 'groupId'>[],
) {
  return list
    .filter(
      (d): d is typeof d & { kind: AudioDevice['kind'] } =>
        d.kind === 'audioinput' || d.kind === 'audiooutput',
    )
    .map((d) => ({ deviceId: d.deviceId, kind: d.kind, label: d.label, groupId: d.groupId }));
}

/** Chrome's pseudo-devices that follow the system's choice (not a device one plugs in). */
const isAlias = (d: AudioDevice) => d.deviceId === 'default' || d.deviceId === 'communications';

/** A name to show: the label, or a numbered stand-in before the page may read labels. */
export function deviceLabel(d: AudioDevice, index: number): string {
  if (d.label) return d.label;
  return `${d.kind === 'audioinput' ? 'Microphone' : 'Speaker'} ${index + 1}`;
}

/** The devices to offer for a role: the real ones (the system default is offered separately). */
export function devicesFor(devices: readonly AudioDevice[], role: DeviceRole): AudioDevice[] {
  return devices.filter((d) => d.kind === roleKind[role] && !isAlias(d) && d.deviceId !== '');
}

export type DeviceNotice =
  | { kind: 'unplugged'; role: DeviceRole; label: string; message: string }
  | {
      kind: 'plugged';
      label: string;
      message: string;
      /** Choosing it sets these (a headset is one microphone and one speaker of one group). */
      use: { microphoneId?: string; speakerId?: string };
    };

/**
 * What a device-list change means for the agent's choice: a chosen device that is gone falls back to
 * the system default (with a notice), and a device that was plugged in is offered. The first list
 * after permission was granted is no change (the browser hides device IDs until then).
 */
export function reconcileDevices(
  previous: readonly AudioDevice[],
  current: readonly AudioDevice[],
  prefs: AudioPreferences,
): { prefs: AudioPreferences; notices: DeviceNotice[] } {
  const notices: DeviceNotice[] = [];
  let next = prefs;
  for (const role of ['microphone', 'speaker', 'ringer'] as const) {
    const chosen = prefs[roleKey[role]];
    if (!chosen) continue;
    const kind = roleKind[role];
    if (current.some((d) => d.kind === kind && d.deviceId === chosen)) continue;
    // Nothing listed at all yet (no permission): keep the choice, it may well be there.
    if (!current.some((d) => d.kind === kind && d.deviceId !== '')) continue;
    const gone = previous.find((d) => d.kind === kind && d.deviceId === chosen);
    const label = gone?.label || `Your ${roleName[role]}`;
    next = { ...next, [roleKey[role]]: null };
    notices.push({
      kind: 'unplugged',
      role,
      label,
      message: `${label} is no longer available: the ${roleName[role]} is now the system default.`,
    });
  }

  const known = (d: AudioDevice) => previous.some((p) => p.kind === d.kind && p.deviceId === d.deviceId);
  const baseline = previous.length === 0 || previous.some((d) => d.deviceId === '');
  if (!baseline) {
    const added = current.filter((d) => !isAlias(d) && d.deviceId !== '' && !known(d));
    const groups = new Map<string, AudioDevice[]>();
    for (const d of added)
      groups.set(d.groupId || d.deviceId, [...(groups.get(d.groupId || d.deviceId) ?? []), d]);
    for (const group of groups.values()) {
      const input = group.find((d) => d.kind === 'audioinput');
      const output = group.find((d) => d.kind === 'audiooutput');
      const use = {
        ...(input && input.deviceId !== next.microphoneId ? { microphoneId: input.deviceId } : {}),
        ...(output && output.deviceId !== next.speakerId ? { speakerId: output.deviceId } : {}),
      };
      if (!use.microphoneId && !use.speakerId) continue;
      const label = (input ?? output)?.label || 'A new audio device';
      notices.push({ kind: 'plugged', label, message: `${label} was plugged in.`, use });
    }
  }
  return { prefs: next, notices };
}
