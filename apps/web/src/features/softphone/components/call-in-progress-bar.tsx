import type { ReactNode } from 'react';
import { Button } from '../../../components/button';
import type { SoftphoneContextValue } from '../hooks/use-softphone';
import type { CallView } from '../lib/engine-types';
import { CallQualityIndicator } from './call-quality-indicator';
import { CallTimer } from './call-timer';
import { Keypad } from './keypad';
import { MonitorIndicator } from './monitor-indicator';

/** The bar during a call: its state, the timer and quality, and mute, hold, keypad and hang up. */
export function CallInProgressBar({
  phone,
  call,
  who,
  readOnly,
  keypadOpen,
  toggleKeypad,
  run,
}: {
  phone: SoftphoneContextValue;
  call: CallView;
  who: ReactNode;
  readOnly: boolean;
  keypadOpen: boolean;
  toggleKeypad: () => void;
  run: (fn: () => Promise<void>) => void;
}) {
  const established = call.state === 'established';
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
            onClick={toggleKeypad}
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
