import { useEffect, useRef, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { SelectField } from '../../../components/select-field';
import { useSoftphone } from '../hooks/use-softphone';
import { type AudioDevice, type DeviceRole, deviceLabel, devicesFor } from '../lib/audio-devices';
import { type AudioPreferences, microphoneConstraints } from '../lib/audio-preferences';
import { startRingtone } from '../lib/ringtone';
import { MicrophoneCheck } from './microphone-check';
import { NetworkCheck } from './network-check';

const ringTestMs = 3000;

const outputsSelectable = () =>
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

function DeviceSelect({
  label,
  deviceRole,
  value,
  devices,
  onChange,
  className,
}: {
  className?: string;
  label: string;
  deviceRole: DeviceRole;
  value: string | null;
  devices: AudioDevice[];
  onChange(id: string | null): void;
}) {
  const options = devicesFor(devices, deviceRole);
  const missing = value !== null && !options.some((d) => d.deviceId === value);
  return (
    <SelectField
      label={label}
      className={className}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value || null)}
    >
      <option value="">System default</option>
      {options.map((d, i) => (
        <option key={d.deviceId} value={d.deviceId}>
          {deviceLabel(d, i)}
        </option>
      ))}
      {missing ? <option value={value}>Not connected</option> : null}
    </SelectField>
  );
}

const processing: Array<{ key: keyof AudioPreferences & string; label: string; hint: string }> = [
  { key: 'echoCancellation', label: 'Echo cancellation', hint: 'Keeps the customer from hearing themselves' },
  { key: 'noiseSuppression', label: 'Noise suppression', hint: 'Filters out background noise' },
  { key: 'autoGainControl', label: 'Automatic gain', hint: 'Evens out your voice level' },
];

/**
 * The audio settings (web extension): microphone, call speaker and ring device from the browser's
 * list, audio processing, and the microphone check. Every choice applies at once, also to a call in
 * progress, and is remembered for this agent in this browser.
 */
export function AudioSettingsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { audio } = useSoftphone();
  const { preferences: prefs, devices, setPreferences, refreshDevices } = audio;
  const [ringing, setRinging] = useState(false);
  const stopRing = useRef<(() => void) | null>(null);

  useEffect(() => {
    if (open) void refreshDevices();
  }, [open, refreshDevices]);
  useEffect(
    () => () => {
      stopRing.current?.();
    },
    [],
  );
  useEffect(() => {
    if (!open) stopRing.current?.();
  }, [open]);

  const testRing = () => {
    stopRing.current?.();
    const stop = startRingtone(prefs.ringerId);
    setRinging(true);
    const timer = setTimeout(() => stopRing.current?.(), ringTestMs);
    stopRing.current = () => {
      clearTimeout(timer);
      stop();
      stopRing.current = null;
      setRinging(false);
    };
  };

  const canChooseOutputs = outputsSelectable();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Audio settings"
      description="Remembered for you in this browser. Changes apply at once, also during a call."
      footer={<Button onClick={onClose}>Done</Button>}
      size="lg"
    >
      <div className="space-y-6">
        <div className="grid gap-4 sm:grid-cols-2">
          <DeviceSelect
            label="Microphone"
            deviceRole="microphone"
            value={prefs.microphoneId}
            devices={devices}
            onChange={(id) => setPreferences({ microphoneId: id })}
          />
          {canChooseOutputs ? (
            <DeviceSelect
              label="Speaker (call audio)"
              deviceRole="speaker"
              value={prefs.speakerId}
              devices={devices}
              onChange={(id) => setPreferences({ speakerId: id })}
            />
          ) : null}
          {canChooseOutputs ? (
            <div className="flex items-end gap-2 sm:col-span-2">
              <DeviceSelect
                className="flex-1"
                label="Ring device (ringtone)"
                deviceRole="ringer"
                value={prefs.ringerId}
                devices={devices}
                onChange={(id) => setPreferences({ ringerId: id })}
              />
              <Button variant="secondary" onClick={ringing ? () => stopRing.current?.() : testRing}>
                {ringing ? 'Stop' : 'Test ring'}
              </Button>
            </div>
          ) : (
            <p className="text-sm text-slate-600 sm:col-span-2">
              This browser plays calls and the ringtone on the system's default speaker; choose the output in
              your system sound settings.
            </p>
          )}
        </div>

        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold text-slate-800">Audio processing</legend>
          {processing.map((p) => (
            <label key={p.key} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-0.5"
                checked={prefs[p.key] === true}
                onChange={(e) => setPreferences({ [p.key]: e.target.checked })}
              />
              <span>
                <span className="font-medium text-slate-800">{p.label}</span>
                <span className="block text-slate-500">{p.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>

        <MicrophoneCheck
          constraints={microphoneConstraints(prefs)}
          speakerId={prefs.speakerId}
          onPermission={() => void refreshDevices()}
          onWorking={audio.markMicrophoneChecked}
        />

        <NetworkCheck />
      </div>
    </Dialog>
  );
}
