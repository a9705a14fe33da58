import { useEffect, useRef, useState } from 'react';
import { Button } from '../../../components/button';
import { useHotkey } from '../../../lib/hotkeys';
import { useSoftphone } from '../hooks/use-softphone';
import { prepareRingtone } from '../lib/ringtone';
import { CallQualityIndicator } from './call-quality-indicator';
import { CallTimer } from './call-timer';
import { Keypad } from './keypad';
import { MonitorIndicator } from './monitor-indicator';

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
  const act = (when: boolean, fn: () => Promise<void> | void) => {
    if (!when || readOnly) return false;
    void Promise.resolve(fn()).catch((err: unknown) => console.error(err));
    return true;
  };
  useHotkey('answer', () => act(ringing, phone.answer));
  useHotkey('decline', () => act(ringing, phone.decline));
  useHotkey('hangUp', () => act(!!call && call.state !== 'ended' && !ringing, phone.hangUp));
  useHotkey('mute', () => act(established, () => phone.setMuted(!call?.muted)));
  useHotkey('hold', () => act(established && !call?.holdPending, () => phone.setHeld(!call?.held)));
  if (!call) return null;

  const run = (fn: () => Promise<void>) => {
    setBusy(true);
    fn()
      .catch((err: unknown) => console.error(err))
      .finally(() => setBusy(false));
  };
  // The switch puts the number in the display name when it knows no name: show it once.
  const name = call.remoteName && call.remoteName !== call.remote ? call.remoteName : null;
  const who = (
    <span>
      <span className="font-semibold" data-testid="call-party">
        {name ?? call.remote}
      </span>
      {name ? (
        <span className="ml-1 opacity-80" data-testid="call-party-number">
          {call.remote}
        </span>
      ) : null}
      {call.queue ? (
        <span className="ml-2 rounded bg-white/20 px-1.5 py-0.5 text-xs">Queue {call.queue}</span>
      ) : null}
    </span>
  );

  if (ringing) {
    return (
      <section
        aria-label="Incoming call"
        role="alertdialog"
        className="sticky top-0 z-40 flex items-center justify-between gap-4 bg-emerald-600 px-6 py-3 text-white shadow"
      >
        <p className="text-sm">
          <span className="mr-2 animate-pulse">●</span>Incoming call from {who}
          {readOnly ? <span className="ml-2 text-xs opacity-80">(ringing in your other tab)</span> : null}
        </p>
        {readOnly ? null : (
          <div className="flex gap-2">
            <Button
              ref={answerButton}
              variant="secondary"
              onClick={() => run(phone.answer)}
              disabled={busy}
              aria-keyshortcuts="Alt+A"
            >
              Answer
            </Button>
            <Button variant="danger" onClick={() => run(phone.decline)} disabled={busy}>
              Decline
            </Button>
          </div>
        )}
      </section>
    );
  }

  if (call.state === 'ended') {
    return (
      <section
        aria-label="Call ended"
        className="sticky top-0 z-40 flex items-center justify-between gap-4 bg-slate-700 px-6 py-2 text-white"
      >
        <p className="text-sm" role="status">
          {call.endedReason ?? 'Call ended'} · {name ?? call.remote}
        </p>
        {readOnly ? null : (
          <Button variant="ghost" className="text-white hover:bg-white/10" onClick={phone.dismissEnded}>
            Dismiss
          </Button>
        )}
      </section>
    );
  }

  return (
    <section
      aria-label="Call in progress"
      className="sticky top-0 z-40 flex flex-wrap items-center justify-between gap-4 bg-brand-700 px-6 py-2.5 text-white shadow"
    >
      <p className="flex items-center gap-3 text-sm">
        <span>
          {established ? (call.held ? 'On hold' : 'In call') : call.state === 'early' ? 'Ringing' : 'Calling'}
        </span>
        {who}
        {established && call.startedAt ? <CallTimer startedAt={call.startedAt} /> : null}
        {established && !readOnly ? <CallQualityIndicator quality={phone.quality} /> : null}
        <MonitorIndicator active={established} />
        {readOnly ? <span className="text-xs opacity-80">(in your other tab)</span> : null}
      </p>
      {readOnly ? null : (
        <div className="relative flex items-center gap-2">
          <Button
            variant="secondary"
            size="sm"
            aria-pressed={call.muted}
            disabled={!established}
            onClick={() => phone.setMuted(!call.muted)}
          >
            {call.muted ? 'Unmute' : 'Mute'}
          </Button>
          <Button
            variant="secondary"
            size="sm"
            aria-pressed={call.held}
            disabled={!established || call.holdPending}
            onClick={() => run(() => phone.setHeld(!call.held))}
          >
            {call.holdPending ? 'Holding…' : call.held ? 'Resume' : 'Hold'}
          </Button>
          <Button
            variant="secondary"
            size="sm"
            aria-expanded={keypadOpen}
            disabled={!established}
            onClick={() => setKeypadOpen((o) => !o)}
          >
            Keypad
          </Button>
          <Button variant="danger" size="sm" onClick={() => run(phone.hangUp)}>
            Hang up
          </Button>
          {keypadOpen && established ? (
            <div className="absolute top-full right-0 z-50 mt-2 w-56 rounded-lg bg-white p-3 shadow-lg ring-1 ring-slate-200">
              <Keypad label="Send tones" onKey={(k) => void phone.sendDtmf(k)} />
            </div>
          ) : null}
        </div>
      )}
    </section>
  );
}
