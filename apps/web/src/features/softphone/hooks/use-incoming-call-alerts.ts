import { type RefObject, useEffect } from 'react';
import { showDesktopNotification } from '../../../lib/notify';
import type { AudioPreferences } from '../lib/audio-preferences';
import type { CallView } from '../lib/engine-types';
import { startRingtone } from '../lib/ringtone';

/** While a call rings in: the tab's title, the ringtone on the ring device, and a desktop notification. */
export function useIncomingCallAlerts(
  call: CallView | null,
  preferencesRef: RefObject<AudioPreferences>,
): void {
  const ringing = call?.direction === 'inbound' && call.state === 'ringing';
  const caller = call
    ? call.remoteName && call.remoteName !== call.remote
      ? `${call.remoteName} (${call.remote})`
      : call.remote
    : '';
  // While it rings the tab's title says so, so the agent sees it from another tab.
  useEffect(() => {
    if (!ringing) return;
    const before = document.title;
    document.title = `Incoming call · ${caller}`;
    return () => {
      document.title = before;
    };
  }, [ringing, caller]);
  useEffect(() => {
    if (!ringing) return;
    const stopRing = startRingtone(preferencesRef.current.ringerId);
    const closeNotification = showDesktopNotification(
      'Incoming call',
      `${caller}${call?.queue ? ` · ${call.queue}` : ''}`,
      'switchboard-incoming-call',
    );
    return () => {
      stopRing();
      closeNotification();
    };
  }, [ringing, caller, call?.queue, preferencesRef]);
}
