import { useEffect, useRef, useState } from 'react';
import { useCallHotkeys } from '../hooks/use-call-hotkeys';
import { useSoftphone } from '../hooks/use-softphone';
import { prepareRingtone } from '../lib/ringtone';
import { CallInProgressBar } from './call-in-progress-bar';
import { CallParty } from './call-party';
import { EndedCallBar } from './ended-call-bar';
import { IncomingCallBar } from './incoming-call-bar';

/**
 * The bar at the top of the page: answer or decline an incoming call with the caller
 * and the queue; during a call, the timer, mute, hold, keypad and hang up.
 */
export function CallBar() {
  const phone = useSoftphone();
  const [keypadOpen, setKeypadOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  // the tab that owns the softphone rings: make its audio ready while nothing happens
  const owner = phone.ownership === 'owner';
  useEffect(() => {
    if (owner) prepareRingtone();
  }, [owner]);
  const call = phone.snapshot?.call ?? null;
  const readOnly = phone.remote;
  const ringing = call?.direction === 'inbound' && call.state === 'ringing';
  const established = call?.state === 'established';
  // The incoming-call bar takes the focus: Enter answers, wherever the agent was on the page.
  const answerButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (ringing && !readOnly) answerButton.current?.focus();
  }, [ringing, readOnly]);
  useCallHotkeys(phone, call, { ringing, established, readOnly });
  if (!call) return null;

  const run = (fn: () => Promise<void>) => {
    setBusy(true);
    fn()
      .catch((err: unknown) => console.error(err))
      .finally(() => setBusy(false));
  };
  // The switch puts the number in the display name when it knows no name: show it once.
  const name = call.remoteName && call.remoteName !== call.remote ? call.remoteName : null;
  const who = <CallParty call={call} name={name} />;

  if (ringing) {
    return (
      <IncomingCallBar
        who={who}
        readOnly={readOnly}
        busy={busy}
        answerButton={answerButton}
        onAnswer={() => run(phone.answer)}
        onDecline={() => run(phone.decline)}
      />
    );
  }
  if (call.state === 'ended') {
    return (
      <EndedCallBar
        reason={call.endedReason}
        party={name ?? call.remote}
        readOnly={readOnly}
        onDismiss={phone.dismissEnded}
      />
    );
  }
  return (
    <CallInProgressBar
      phone={phone}
      call={call}
      who={who}
      readOnly={readOnly}
      keypadOpen={keypadOpen}
      toggleKeypad={() => setKeypadOpen((o) => !o)}
      run={run}
    />
  );
}
