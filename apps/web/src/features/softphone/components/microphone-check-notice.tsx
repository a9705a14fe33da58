import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { useSoftphone } from '../hooks/use-softphone';
import { AudioSettingsDialog } from './audio-settings-dialog';

/**
 * On the dashboard until the microphone check passed in this browser session: a headset muted or
 * plugged into the wrong socket is found before the first customer, not by them.
 */
export function MicrophoneCheckNotice() {
  const phone = useSoftphone();
  const [open, setOpen] = useState(false);
  if (phone.mode !== 'web' || phone.ownership !== 'owner') return null;
  if (phone.audio.microphoneChecked && !open) return null;
  return (
    <>
      {phone.audio.microphoneChecked ? null : (
        <Alert tone="info">
          <span className="flex flex-wrap items-center justify-between gap-3">
            <span>
              <strong>Check your microphone before you go idle.</strong> A level meter and a short recording
              show that customers will hear you.
            </span>
            <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>
              Check microphone
            </Button>
          </span>
        </Alert>
      )}
      <AudioSettingsDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
