import type { ActiveCall } from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useRef, useState } from 'react';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { useHotkey } from '../../../lib/hotkeys';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import { useCurrentCalls } from '../api/get-current-calls';
import { useHangUpCall } from '../api/hang-up-call';
import { useHoldCall } from '../api/hold-call';
import { currentCallsKey } from '../api/keys';
import { useMuteCall } from '../api/mute-call';
import {
  type ConsultView,
  consultView,
  isOwnConsult,
  type ReceivedConsultEvent,
  type Step,
} from '../lib/consult-actions';
import { callControlError } from '../lib/messages';
import { CallDuration } from './call-duration';
import { ConsultDialog } from './consult-dialog';
import { DtmfKeypad } from './dtmf-keypad';
import { StepButton } from './step-button';

// The transfer dialog checks outside numbers with libphonenumber-js (~29 kB gzip): loaded on first
// use so it stays out of the desk's first-load JS (its budget: 200 kB, bench/desk).
const TransferDialog = lazy(() => import('./transfer-dialog').then((m) => ({ default: m.TransferDialog })));

/**
 * The viewer's calls in progress as the switch sees them (`GET /api/calls/current`), with Consult
 * and Transfer for everyone. Desk-phone agents (`deskPhone`) have no audio in the page, so hold,
 * mute and tones go through the API here; a web softphone does those itself in the call bar.
 */
export function CurrentCallPanel({ deskPhone }: { deskPhone: boolean }) {
  const calls = useCurrentCalls();
  const qc = useQueryClient();
  const [lastConsult, setLastConsult] = useState<ReceivedConsultEvent | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // Calls on which this tab pressed "Call" for a consult (the list may not show it yet).
  const startedHere = useRef(new Set<string>());

  useLiveEvent('consult', (e) => {
    void qc.invalidateQueries({ queryKey: currentCallsKey });
    if (!isOwnConsult(e.callId, calls.data?.calls ?? [], startedHere.current)) return;
    setLastConsult({ ...e, receivedAt: Date.now() });
    if (e.state === 'completed') setNotice(`Call transferred to ${e.target}.`);
  });
  useLiveEvent('call', (e) => {
    if (e.state === 'transferred')
      setNotice((n) => n ?? `Call with ${e.otherParty ?? 'the caller'} transferred.`);
    if (e.state === 'ringing' || e.state === 'answered') setNotice(null);
  });

  const list = calls.data?.calls ?? [];
  if (list.length === 0)
    return notice ? (
      <div className="flex items-center justify-between gap-4 border-slate-200 border-b bg-emerald-50 px-6 py-2 text-sm text-emerald-900">
        <p role="status" data-testid="call-control-notice">
          {notice}
        </p>
        <Button variant="ghost" size="sm" onClick={() => setNotice(null)}>
          Dismiss
        </Button>
      </div>
    ) : null;
  return (
    <>
      {list.map((call) => (
        <CallRow
          key={call.callId}
          call={call}
          deskPhone={deskPhone}
          onConsultStart={(callId) => startedHere.current.add(callId)}
          consult={consultView(
            call.consult,
            calls.dataUpdatedAt,
            lastConsult?.callId === call.callId ? lastConsult : null,
          )}
        />
      ))}
    </>
  );
}

function stateOf(call: ActiveCall, consult: ConsultView): { label: string; tone: BadgeTone } {
  if (call.state === 'ringing') return { label: 'Ringing', tone: 'amber' };
  const who = consult.target ?? 'supervisor';
  if (consult.phase === 'ringing') return { label: `Calling ${who}`, tone: 'amber' };
  if (consult.phase === 'answered') return { label: `Consulting ${who}`, tone: 'indigo' };
  if (consult.phase === 'conference') return { label: `Conference with ${who}`, tone: 'indigo' };
  if (call.held) return { label: 'On hold', tone: 'amber' };
  return { label: 'Connected', tone: 'green' };
}

/** The desk's keyboard shortcuts for one call, each refused while its button would be disabled. */
function useCallHotkeys({
  call,
  deskPhone,
  consultStep,
  transferStep,
  controlStep,
  hold,
  mute,
  hangUp,
  openDialog,
}: {
  call: ActiveCall;
  deskPhone: boolean;
  consultStep: Step;
  transferStep: Step;
  controlStep: Step;
  hold: ReturnType<typeof useHoldCall>;
  mute: ReturnType<typeof useMuteCall>;
  hangUp: ReturnType<typeof useHangUpCall>;
  openDialog: (dialog: 'consult' | 'transfer') => void;
}) {
  useHotkey('consult', () => {
    if (!consultStep.enabled) return false;
    openDialog('consult');
    return true;
  });
  useHotkey('transfer', () => {
    if (!transferStep.enabled) return false;
    openDialog('transfer');
    return true;
  });
  // A desk phone's call is held, muted and hung up from here (a web softphone does it in its bar).
  useHotkey('hold', () => {
    if (!deskPhone || !controlStep.enabled || hold.isPending) return false;
    hold.mutate({ callId: call.callId, held: !call.held });
    return true;
  });
  useHotkey('mute', () => {
    if (!deskPhone || !controlStep.enabled || mute.isPending) return false;
    mute.mutate({ callId: call.callId, muted: !call.muted });
    return true;
  });
  useHotkey('hangUp', () => {
    if (!deskPhone || hangUp.isPending) return false;
    hangUp.mutate({ callId: call.callId });
    return true;
  });
}

/** Mute, hold and the keypad of a desk phone's call, which has no audio in the page to do them. */
function DeskPhoneButtons({
  call,
  controlStep,
  keypadStep,
  hold,
  mute,
  keypadOpen,
  onToggleKeypad,
}: {
  call: ActiveCall;
  controlStep: Step;
  keypadStep: Step;
  hold: ReturnType<typeof useHoldCall>;
  mute: ReturnType<typeof useMuteCall>;
  keypadOpen: boolean;
  onToggleKeypad: () => void;
}) {
  return (
    <>
      <StepButton
        step={controlStep}
        size="sm"
        aria-pressed={call.muted}
        pending={mute.isPending}
        onClick={() => {
          hold.reset();
          mute.mutate({ callId: call.callId, muted: !call.muted });
        }}
      >
        {call.muted ? 'Unmute' : 'Mute'}
      </StepButton>
      <StepButton
        step={controlStep}
        size="sm"
        aria-pressed={call.held}
        pending={hold.isPending}
        onClick={() => {
          mute.reset();
          hold.mutate({ callId: call.callId, held: !call.held });
        }}
      >
        {hold.isPending ? (call.held ? 'Resuming…' : 'Holding…') : call.held ? 'Resume' : 'Hold'}
      </StepButton>
      <StepButton step={keypadStep} size="sm" aria-expanded={keypadOpen} onClick={onToggleKeypad}>
        Keypad
      </StepButton>
    </>
  );
}

function CallRow({
  call,
  deskPhone,
  consult,
  onConsultStart,
}: {
  call: ActiveCall;
  deskPhone: boolean;
  consult: ConsultView;
  onConsultStart: (callId: string) => void;
}) {
  const hold = useHoldCall();
  const mute = useMuteCall();
  const hangUp = useHangUpCall();
  const [dialog, setDialog] = useState<'consult' | 'transfer' | null>(null);
  const [keypadOpen, setKeypadOpen] = useState(false);
  const connected = call.state === 'connected';
  const inConsult = consult.phase !== 'none';
  const state = stateOf(call, consult);
  const error = hold.error ?? mute.error ?? hangUp.error;
  const notConnected = { enabled: false, reason: 'Answer the call first' };
  const ready = { enabled: true, reason: null };
  const consultStep = connected ? ready : notConnected;
  const transferStep = !connected
    ? notConnected
    : inConsult
      ? { enabled: false, reason: 'Finish the consult first (transfer, conference or back to customer)' }
      : ready;
  const controlStep = !connected
    ? notConnected
    : inConsult
      ? { enabled: false, reason: 'A consult is in progress' }
      : ready;
  useCallHotkeys({
    call,
    deskPhone,
    consultStep,
    transferStep,
    controlStep,
    hold,
    mute,
    hangUp,
    openDialog: setDialog,
  });

  return (
    <section
      aria-label="Current call"
      data-testid="current-call-panel"
      className="border-slate-200 border-b bg-white px-6 py-3"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <span data-testid="current-call-state">
            <Badge tone={state.tone}>{state.label}</Badge>
          </span>
          <span className="font-semibold text-slate-900" data-testid="current-call-party">
            {call.otherParty ?? 'Unknown caller'}
          </span>
          {call.queue ? <span className="text-slate-500">Queue {call.queue}</span> : null}
          {call.muted ? <Badge tone="red">Muted</Badge> : null}
          {/* A web softphone's call bar above has the call's timer: one timer on the page. */}
          {connected && deskPhone ? <CallDuration since={call.answeredAt ?? call.startedAt} /> : null}
        </div>
        <div className="relative flex flex-wrap items-center gap-2">
          {deskPhone ? (
            <DeskPhoneButtons
              call={call}
              controlStep={controlStep}
              keypadStep={connected ? ready : notConnected}
              hold={hold}
              mute={mute}
              keypadOpen={keypadOpen}
              onToggleKeypad={() => setKeypadOpen((o) => !o)}
            />
          ) : null}
          <StepButton step={consultStep} size="sm" onClick={() => setDialog('consult')}>
            {inConsult ? 'Consult…' : 'Consult'}
          </StepButton>
          <StepButton step={transferStep} size="sm" onClick={() => setDialog('transfer')}>
            Transfer
          </StepButton>
          {deskPhone ? (
            <Button
              variant="danger"
              size="sm"
              disabled={hangUp.isPending}
              onClick={() => hangUp.mutate({ callId: call.callId })}
            >
              Hang up
            </Button>
          ) : null}
          {keypadOpen && connected ? (
            <div className="absolute top-full right-0 z-30 mt-2 rounded-lg bg-white p-3 shadow-lg ring-1 ring-slate-200">
              <DtmfKeypad callId={call.callId} />
            </div>
          ) : null}
        </div>
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {callControlError(error)}
        </p>
      ) : null}
      <ConsultDialog
        open={dialog === 'consult'}
        onClose={() => setDialog(null)}
        call={call}
        phase={consult.phase}
        target={consult.target}
        outcome={consult.outcome}
        handedOn={consult.handedOn}
        onConsultStart={() => onConsultStart(call.callId)}
      />
      {dialog === 'transfer' ? (
        <Suspense fallback={null}>
          <TransferDialog open onClose={() => setDialog(null)} call={call} />
        </Suspense>
      ) : null}
    </section>
  );
}
