import type { ActiveCall, QueueTarget, TransferTarget, UserTarget } from '@switchboard/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { controlClass } from '../../../components/form-field';
import { useBlindTransfer } from '../api/blind-transfer';
import { useTransferTargets } from '../api/get-transfer-targets';
import { callControlError, unavailableReasonText } from '../lib/messages';
import { checkOutsideNumber } from '../lib/outside-number';

/** The chosen destination: a radio value like `user:3`, `queue:1` or `number`. */
type Choice = `user:${number}` | `queue:${number}` | 'number' | '';

const userGroups = [
  ['supervisors', 'Supervisors'],
  ['queueAgents', "This queue's agents"],
  ['others', 'Others'],
] as const;

/**
 * The desk's "Transfer" part: send the call on (blind) to a supervisor, an agent of this queue, someone of
 * another queue, a queue, or an outside number. Only available people can be picked; the others
 * show why not.
 */
export function TransferDialog({
  open,
  onClose,
  call,
}: {
  open: boolean;
  onClose: () => void;
  call: ActiveCall;
}) {
  const targets = useTransferTargets(call.callId, open);
  const transfer = useBlindTransfer();
  const [choice, setChoice] = useState<Choice>('');
  const [number, setNumber] = useState('');
  const [numberError, setNumberError] = useState<string | null>(null);
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const formId = useId();
  const numberId = useId();
  const form = useRef<HTMLFormElement>(null);

  // The destinations arrive after the dialog opened: put focus on the first one that can be picked,
  // unless the agent already started typing an outside number.
  const loaded = targets.data;
  useEffect(() => {
    if (!open || !loaded) return;
    if (document.activeElement?.id === numberId) return;
    form.current?.querySelector<HTMLInputElement>('input[type=radio]:not(:disabled)')?.focus();
  }, [open, loaded, numberId]);

  const close = () => {
    transfer.reset();
    setChoice('');
    setNumber('');
    setNumberError(null);
    setChoiceError(null);
    onClose();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    transfer.reset();
    let to: TransferTarget;
    if (choice === '') {
      setChoiceError('Pick where to send the call');
      return;
    }
    if (choice === 'number') {
      const checked = checkOutsideNumber(number);
      if ('error' in checked) {
        setNumberError(checked.error);
        document.getElementById(numberId)?.focus();
        return;
      }
      to = { kind: 'number', number: checked.number };
    } else {
      const [kind, id] = choice.split(':');
      to = kind === 'user' ? { kind: 'user', userId: Number(id) } : { kind: 'queue', queueId: Number(id) };
    }
    transfer.mutate({ callId: call.callId, to }, { onSuccess: close });
  };

  const pick = (c: Choice) => {
    setChoice(c);
    setChoiceError(null);
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title="Transfer the call"
      description={`${call.otherParty ?? 'The caller'} is sent to the destination and you leave the call.`}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" form={formId} disabled={transfer.isPending}>
            {transfer.isPending ? 'Transferring…' : 'Transfer'}
          </Button>
        </>
      }
    >
      <form ref={form} id={formId} onSubmit={submit} noValidate className="space-y-5">
        {transfer.error ? <Alert tone="error">{callControlError(transfer.error)}</Alert> : null}
        {choiceError ? <Alert tone="error">{choiceError}</Alert> : null}
        {targets.isPending ? (
          <p className="text-sm text-slate-500">Loading destinations…</p>
        ) : targets.error ? (
          <div className="space-y-2">
            <Alert tone="error">
              The destinations could not be loaded: {callControlError(targets.error)}
            </Alert>
            <Button variant="secondary" size="sm" onClick={() => void targets.refetch()}>
              Try again
            </Button>
          </div>
        ) : (
          <div className="grid gap-5 sm:grid-cols-2">
            {userGroups.map(([key, title]) => (
              <UserGroup key={key} title={title} users={targets.data[key]} choice={choice} onPick={pick} />
            ))}
            <QueueGroup queues={targets.data.queues} choice={choice} onPick={pick} />
          </div>
        )}
        <OutsideNumberChoice
          inputId={numberId}
          chosen={choice === 'number'}
          number={number}
          error={numberError}
          onPick={() => pick('number')}
          onNumber={(n) => {
            setNumber(n);
            setNumberError(null);
          }}
        />
      </form>
    </Dialog>
  );
}

/** The outside-number destination: its radio, and a box that picks it as soon as it gets focus. */
function OutsideNumberChoice({
  inputId,
  chosen,
  number,
  error,
  onPick,
  onNumber,
}: {
  inputId: string;
  chosen: boolean;
  number: string;
  error: string | null;
  onPick: () => void;
  onNumber: (number: string) => void;
}) {
  return (
    <fieldset className="rounded-md p-3 ring-1 ring-slate-200">
      <legend className="px-1 text-sm font-semibold text-slate-900">Outside number</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name="transfer-destination" checked={chosen} onChange={onPick} />
        An outside number
      </label>
      <label htmlFor={inputId} className="sr-only">
        Outside number
      </label>
      <input
        id={inputId}
        type="tel"
        inputMode="tel"
        autoComplete="off"
        placeholder="+1 202 555 0177"
        value={number}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${inputId}-error` : undefined}
        className={`${controlClass} px-3 py-2`}
        onFocus={onPick}
        onChange={(e) => onNumber(e.target.value)}
      />
      {error ? (
        <p id={`${inputId}-error`} className="mt-1 text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function UserGroup({
  title,
  users,
  choice,
  onPick,
}: {
  title: string;
  users: UserTarget[];
  choice: Choice;
  onPick: (c: Choice) => void;
}) {
  return (
    <fieldset className="min-w-0 rounded-md p-3 ring-1 ring-slate-200">
      <legend className="px-1 text-sm font-semibold text-slate-900">{title}</legend>
      {users.length === 0 ? (
        <p className="text-sm text-slate-500">Nobody in this group.</p>
      ) : (
        <ul className="space-y-1">
          {users.map((u) => {
            const value = `user:${u.userId}` as const;
            const why = u.available ? null : unavailableReasonText(u.unavailableReason);
            return (
              <li key={u.userId}>
                <label
                  className={`flex items-center gap-2 rounded px-1 py-1 text-sm ${u.available ? 'cursor-pointer hover:bg-slate-50' : 'cursor-not-allowed text-slate-400'}`}
                  title={why ?? undefined}
                >
                  <input
                    type="radio"
                    name="transfer-destination"
                    value={value}
                    disabled={!u.available}
                    checked={choice === value}
                    onChange={() => onPick(value)}
                  />
                  <span className="min-w-0 flex-1 truncate">
                    {u.name}
                    {u.extension ? <span className="ml-1 text-slate-500">· {u.extension}</span> : null}
                  </span>
                  {why ? <Badge tone="gray">{why}</Badge> : <Badge tone="green">Available</Badge>}
                </label>
              </li>
            );
          })}
        </ul>
      )}
    </fieldset>
  );
}

function QueueGroup({
  queues,
  choice,
  onPick,
}: {
  queues: QueueTarget[];
  choice: Choice;
  onPick: (c: Choice) => void;
}) {
  return (
    <fieldset className="min-w-0 rounded-md p-3 ring-1 ring-slate-200">
      <legend className="px-1 text-sm font-semibold text-slate-900">Queues</legend>
      {queues.length === 0 ? (
        <p className="text-sm text-slate-500">No queues.</p>
      ) : (
        <ul className="space-y-1">
          {queues.map((q) => {
            const value = `queue:${q.queueId}` as const;
            return (
              <li key={q.queueId}>
                <label className="flex cursor-pointer items-center gap-2 rounded px-1 py-1 text-sm hover:bg-slate-50">
                  <input
                    type="radio"
                    name="transfer-destination"
                    value={value}
                    checked={choice === value}
                    onChange={() => onPick(value)}
                  />
                  <span className="min-w-0 flex-1 truncate">{q.name}</span>
                  <span className="text-xs text-slate-500">
                    {q.agentsAvailable} available · {q.waiting} waiting
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
    </fieldset>
  );
}
