import type { ActiveCall, UserTarget } from '@switchboard/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { controlClass } from '../../../components/form-field';
import { useCancelConsult } from '../api/cancel-consult';
import { useCompleteConsult } from '../api/complete-consult';
import { useConferenceConsult } from '../api/conference-consult';
import { useTransferTargets } from '../api/get-transfer-targets';
import { useStartConsult } from '../api/start-consult';
import { type ConsultActions, type ConsultPhase, consultActions } from '../lib/consult-actions';
import { callControlError, consultFailedMessage, unavailableReasonText } from '../lib/messages';
import { StepButton } from './step-button';

/** How the last consult on this call ended, when it did not end the call (from the live stream). */
export interface ConsultOutcome {
  state: 'failed' | 'cancelled';
  target: string;
  reason: string | null;
}

const phaseText: Record<Exclude<ConsultPhase, 'none'>, (target: string) => string> = {
  ringing: (t) => `Calling ${t}… The customer is on hold.`,
  answered: (t) => `You are talking to ${t}. The customer is on hold.`,
  conference: (t) => `Conference: you, the customer and ${t}.`,
};

/**
 * The step buttons change with the consult's state: keep focus inside the dialog on the first
 * one that can be pressed instead of losing it to a button that just became disabled.
 */
function useFocusOnAStep({
  open,
  phase,
  pending,
  targetsPending,
  targets,
}: {
  open: boolean;
  phase: ConsultPhase;
  pending: boolean;
  targetsPending: boolean;
  targets: unknown;
}) {
  const body = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when the consult moves on (`phase`) or the supervisors arrive, which changes the buttons
  useEffect(() => {
    if (!open || pending || (phase === 'none' && targetsPending)) return;
    const el = body.current;
    const active = document.activeElement;
    // The outside-number field gets the dialog's first focus; until something is typed there, the
    // first person who can take the consult is the better place to be.
    const untouchedField = active instanceof HTMLInputElement && active.value === '';
    if (!el || (active && el.contains(active) && !(active as HTMLButtonElement).disabled && !untouchedField))
      return;
    (
      el.querySelector<HTMLButtonElement>('ul button:not(:disabled)') ??
      el.querySelector<HTMLButtonElement>('button:not(:disabled)')
    )?.focus();
  }, [open, phase, pending, targets]);
  return body;
}

/**
 * Consult: pick an available supervisor, agent (this queue's or others) or an outside number and call
 * them while the customer waits on hold; then Transfer (the customer goes to them), Conference
 * (three-way) or Back to customer.
 * Each step is disabled with the reason until it is possible; the state follows the live stream.
 */
export function ConsultDialog({
  open,
  onClose,
  call,
  phase,
  target,
  outcome,
  handedOn = false,
  onConsultStart,
}: {
  open: boolean;
  onClose: () => void;
  call: ActiveCall;
  phase: ConsultPhase;
  target: string | null;
  outcome: ConsultOutcome | null;
  /** The call went to the consulted party: nothing more to look up for it. */
  handedOn?: boolean;
  /** Called as the consult is requested, before the server's events about it can arrive. */
  onConsultStart: () => void;
}) {
  // Not once the call was handed on: it is no longer this agent's, the lookup could only fail.
  const targets = useTransferTargets(call.callId, open && phase === 'none' && !handedOn);
  const start = useStartConsult();
  const complete = useCompleteConsult();
  const conference = useConferenceConsult();
  const cancel = useCancelConsult();
  const mutations = [start, complete, conference, cancel];
  const pending = mutations.some((m) => m.isPending);
  const error = mutations.find((m) => m.error)?.error ?? null;
  const actions = consultActions({ callConnected: call.state === 'connected', phase, target, pending });
  const clearErrors = () => {
    for (const m of mutations) m.reset();
  };

  const body = useFocusOnAStep({
    open,
    phase,
    pending,
    targetsPending: targets.isPending,
    targets: targets.data,
  });

  const who = target ?? 'them';
  return (
    <Dialog
      open={open}
      // Under way, the consult's steps sit beside the call: hang up, mute and hold stay in reach.
      modal={phase === 'none'}
      onClose={onClose}
      title={phase === 'none' ? 'Consult' : `Consult ${who}`}
      description={
        phase === 'conference'
          ? `You, the customer and ${who} hear each other.`
          : phase === 'none'
            ? 'Call a supervisor, an agent or a number while the customer hears hold music.'
            : `The customer hears hold music while you talk to ${who}.`
      }
      footer={
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      }
    >
      <div ref={body} className="space-y-4" data-testid="consult-dialog">
        {phase === 'none' && outcome ? (
          <Alert tone="warning">
            {outcome.state === 'failed'
              ? consultFailedMessage(outcome.target, outcome.reason)
              : `The consult with ${outcome.target} ended. You are back with the customer.`}
          </Alert>
        ) : null}
        {error ? <Alert tone="error">{callControlError(error)}</Alert> : null}

        {phase === 'none' ? (
          <div className="space-y-4">
            <ConsultTargets
              loading={targets.isPending}
              loadError={targets.error ? callControlError(targets.error) : null}
              onRetry={() => void targets.refetch()}
              groups={[
                { label: 'Supervisors', people: targets.data?.supervisors ?? [] },
                { label: "This queue's agents", people: targets.data?.queueAgents ?? [] },
                { label: 'Others', people: targets.data?.others ?? [] },
              ]}
              canCall={actions.call}
              onCall={(s) => {
                clearErrors();
                onConsultStart();
                start.mutate({ callId: call.callId, to: { kind: 'user', userId: s.userId } });
              }}
            />
            <OutsideNumber
              canCall={actions.call}
              onCall={(number) => {
                clearErrors();
                onConsultStart();
                start.mutate({ callId: call.callId, to: { kind: 'number', number } });
              }}
            />
          </div>
        ) : (
          <ConsultSteps
            phase={phase}
            who={who}
            actions={actions}
            onTransfer={() => {
              clearErrors();
              complete.mutate({ callId: call.callId });
            }}
            onConference={() => {
              clearErrors();
              conference.mutate({ callId: call.callId });
            }}
            onBack={() => {
              clearErrors();
              cancel.mutate({ callId: call.callId });
            }}
          />
        )}
      </div>
    </Dialog>
  );
}

/** The consult under way: where it stands, then Transfer, Conference or Back to customer. */
function ConsultSteps({
  phase,
  who,
  actions,
  onTransfer,
  onConference,
  onBack,
}: {
  phase: Exclude<ConsultPhase, 'none'>;
  who: string;
  actions: ConsultActions;
  onTransfer: () => void;
  onConference: () => void;
  onBack: () => void;
}) {
  return (
    <div className="space-y-4">
      <p
        role="status"
        className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-800 ring-1 ring-slate-200"
      >
        {phase === 'ringing' ? <span className="mr-2 animate-pulse text-emerald-600">●</span> : null}
        {phaseText[phase](who)}
      </p>
      <div className="flex flex-wrap gap-2">
        <StepButton step={actions.transfer} variant="primary" onClick={onTransfer}>
          Transfer
        </StepButton>
        <StepButton step={actions.conference} onClick={onConference}>
          Conference
        </StepButton>
        <StepButton step={actions.back} onClick={onBack}>
          Back to customer
        </StepButton>
      </div>
      {!actions.transfer.enabled && actions.transfer.reason ? (
        <p className="text-xs text-slate-500">{actions.transfer.reason}.</p>
      ) : null}
    </div>
  );
}

function ConsultTargets({
  loading,
  loadError,
  onRetry,
  groups,
  canCall,
  onCall,
}: {
  loading: boolean;
  loadError: string | null;
  onRetry: () => void;
  groups: { label: string; people: UserTarget[] }[];
  canCall: { enabled: boolean; reason: string | null };
  onCall: (s: UserTarget) => void;
}) {
  if (loading) return <p className="text-sm text-slate-500">Loading who can be consulted…</p>;
  if (loadError)
    return (
      <div className="space-y-2">
        <Alert tone="error">The people to consult could not be loaded: {loadError}</Alert>
        <Button variant="secondary" size="sm" onClick={onRetry}>
          Try again
        </Button>
      </div>
    );
  const shown = groups.filter((g) => g.people.length > 0);
  if (shown.length === 0) return <p className="text-sm text-slate-500">No one can be consulted.</p>;
  return (
    <>
      {shown.map((g) => (
        <div key={g.label}>
          <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">{g.label}</h3>
          <PeopleList label={g.label} people={g.people} canCall={canCall} onCall={onCall} />
        </div>
      ))}
    </>
  );
}

function PeopleList({
  label,
  people,
  canCall,
  onCall,
}: {
  label: string;
  people: UserTarget[];
  canCall: { enabled: boolean; reason: string | null };
  onCall: (s: UserTarget) => void;
}) {
  // Who can take the consult now first; the list keeps the server's (name) order otherwise.
  const ordered = [...people].sort((a, b) => Number(b.available) - Number(a.available));
  return (
    <ul aria-label={label} className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
      {ordered.map((s) => {
        const step = !s.available
          ? { enabled: false, reason: `${s.name}: ${unavailableReasonText(s.unavailableReason)}` }
          : canCall;
        return (
          <li key={s.userId} className="flex items-center justify-between gap-3 px-4 py-2.5">
            <div className="min-w-0">
              <p className="truncate text-sm font-medium text-slate-900">{s.name}</p>
              <p className="text-xs text-slate-500">
                {s.extension ? `Extension ${s.extension}` : 'No extension'}
              </p>
            </div>
            <div className="flex items-center gap-3">
              {s.available ? (
                <Badge tone="green">Available</Badge>
              ) : (
                <Badge tone="gray">{unavailableReasonText(s.unavailableReason)}</Badge>
              )}
              <StepButton step={step} size="sm" aria-label={`Call ${s.name}`} onClick={() => onCall(s)}>
                Call
              </StepButton>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** A number outside (through the carrier); the server checks and normalises it. */
function OutsideNumber({
  canCall,
  onCall,
}: {
  canCall: { enabled: boolean; reason: string | null };
  onCall: (number: string) => void;
}) {
  const [number, setNumber] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!number.trim()) {
      setError('Type the number to call');
      return;
    }
    setError(null);
    onCall(number.trim());
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-1.5">
      <label htmlFor={id} className="block text-xs font-semibold uppercase tracking-wide text-slate-500">
        Outside number
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          value={number}
          onChange={(e) => {
            setNumber(e.target.value);
            setError(null);
          }}
          inputMode="tel"
          autoComplete="off"
          placeholder="+1 202 555 0123"
          aria-invalid={error ? true : undefined}
          className={`${controlClass} min-w-0 flex-1`}
        />
        <StepButton step={canCall} size="sm" type="submit">
          Call number
        </StepButton>
      </div>
      {error ? <p className="text-sm text-red-700">{error}</p> : null}
    </form>
  );
}
