import type { CallbackDialingPolicy } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useSaveDialingPolicy } from '../api/save-dialing-policy';

type RetryOutcome = keyof CallbackDialingPolicy['retryDelaySeconds'];
const retryLabels: Record<RetryOutcome, string> = {
  busy: 'After busy (s)',
  no_answer: 'After no answer (s)',
  failed: 'After a failure (s)',
  agent_unavailable: 'After the agent was unavailable (s)',
};

/** An empty box is sent as null so the server names the field, rather than silently meaning 0. */
const num = (v: string) => (v.trim() === '' ? null : Number(v));

/**
 * The dialing policy of auto-dialled callbacks (docs/dialer.md, "Policy"): attempts and their
 * spacing by outcome, calling hours in the customer's zone, ring times and the caller ID.
 */
export function DialingPolicyForm({ policy }: { policy: CallbackDialingPolicy }) {
  const [f, setF] = useState(() => ({
    maxAttempts: String(policy.maxAttempts),
    busy: String(policy.retryDelaySeconds.busy),
    no_answer: String(policy.retryDelaySeconds.no_answer),
    failed: String(policy.retryDelaySeconds.failed),
    agent_unavailable: String(policy.retryDelaySeconds.agent_unavailable),
    from: policy.callingHours.from,
    to: policy.callingHours.to,
    ringSeconds: String(policy.ringSeconds),
    ownerRingSeconds: String(policy.ownerRingSeconds),
    callerId: policy.callerId ?? '',
  }));
  const save = useSaveDialingPolicy();
  const errors = fieldErrorsOf(save.error);
  const set = (patch: Partial<typeof f>) => setF((old) => ({ ...old, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      maxAttempts: num(f.maxAttempts) as number,
      retryDelaySeconds: {
        busy: num(f.busy) as number,
        no_answer: num(f.no_answer) as number,
        failed: num(f.failed) as number,
        agent_unavailable: num(f.agent_unavailable) as number,
      },
      callingHours: { from: f.from, to: f.to },
      ringSeconds: num(f.ringSeconds) as number,
      ownerRingSeconds: num(f.ownerRingSeconds) as number,
      companyPrompt: policy.companyPrompt,
      callerId: f.callerId.trim() || null,
    });
  };
  const numberField = (key: keyof typeof f, label: string, error?: string, hint?: string) => (
    <TextField
      label={label}
      type="number"
      min={0}
      value={f[key]}
      onChange={(e) => set({ [key]: e.target.value })}
      error={error}
      hint={hint}
    />
  );
  return (
    <Card title="Dialing policy">
      <form aria-label="Dialing policy" onSubmit={submit} className="grid gap-4 sm:grid-cols-2">
        {save.isError && !Object.keys(errors).length ? (
          <div className="sm:col-span-2">
            <Alert tone="error">{errorMessage(save.error)}</Alert>
          </div>
        ) : null}
        {save.isSuccess ? (
          <div className="sm:col-span-2">
            <Alert tone="success">Saved. The next dial follows it.</Alert>
          </div>
        ) : null}
        {numberField('maxAttempts', 'Attempts per callback', errors.maxAttempts, 'The first dial included')}
        <div />
        {(Object.keys(retryLabels) as RetryOutcome[]).map((k) => (
          <div key={k}>{numberField(k, retryLabels[k], errors[`retryDelaySeconds.${k}`])}</div>
        ))}
        <TextField
          label="Calling hours from"
          type="time"
          value={f.from}
          onChange={(e) => set({ from: e.target.value })}
          error={errors['callingHours.from']}
          hint="In the customer's time zone (their record's, else their number's country)"
        />
        <TextField
          label="Calling hours to"
          type="time"
          value={f.to}
          onChange={(e) => set({ to: e.target.value })}
          error={errors['callingHours.to']}
          hint="The same time as “from” means all day"
        />
        {numberField('ringSeconds', 'Ring the customer for (s)', errors.ringSeconds)}
        {numberField(
          'ownerRingSeconds',
          'Customer first: ring the owner for (s)',
          errors.ownerRingSeconds,
          "Then the customer goes to the plan's queue",
        )}
        <TextField
          label="Caller ID"
          value={f.callerId}
          onChange={(e) => set({ callerId: e.target.value })}
          error={errors.callerId}
          hint="Empty: the trunk's. A plan's queue may set its own."
        />
        <p className="self-end text-xs text-slate-500 sm:col-span-1">
          Pacing (calls per second, calls at once) is set per node with DIALER_CALLS_PER_SECOND and
          DIALER_MAX_CONCURRENT, and per trunk.
        </p>
        <div className="flex justify-end sm:col-span-2">
          <Button type="submit" disabled={save.isPending}>
            Save policy
          </Button>
        </div>
      </form>
    </Card>
  );
}
