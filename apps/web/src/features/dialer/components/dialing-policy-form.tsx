import type { DialingPolicyResponse } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useSaveDialingPolicy } from '../api/save-dialing-policy';
import { type DialingPolicyDraft, draftOf, type RetryOutcome, updateOf } from '../lib/dialing-policy-draft';
import { PacingFields } from './pacing-fields';

const retryLabels: Record<RetryOutcome, string> = {
  busy: 'After busy (s)',
  no_answer: 'After no answer (s)',
  failed: 'After a failure (s)',
  agent_unavailable: 'After the agent was unavailable (s)',
};

type Draft = DialingPolicyDraft;
type SetDraft = (patch: Partial<Draft>) => void;

function NumberField(props: {
  draft: Draft;
  set: SetDraft;
  field: keyof Draft;
  label: string;
  error?: string;
  hint?: string;
}) {
  const { draft, set, field, label, error, hint } = props;
  return (
    <TextField
      label={label}
      type="number"
      min={0}
      value={String(draft[field])}
      onChange={(e) => set({ [field]: e.target.value })}
      error={error}
      hint={hint}
    />
  );
}

/** Attempts, their spacing by outcome, calling hours, ring times and the caller ID. */
function DialingRulesFields({
  draft,
  set,
  errors,
}: {
  draft: Draft;
  set: SetDraft;
  errors: Record<string, string>;
}) {
  return (
    <>
      <NumberField
        draft={draft}
        set={set}
        field="maxAttempts"
        label="Attempts per callback"
        error={errors.maxAttempts}
        hint="The first dial included"
      />
      <div />
      {(Object.keys(retryLabels) as RetryOutcome[]).map((k) => (
        <div key={k}>
          <NumberField
            draft={draft}
            set={set}
            field={k}
            label={retryLabels[k]}
            error={errors[`retryDelaySeconds.${k}`]}
          />
        </div>
      ))}
      <TextField
        label="Calling hours from"
        type="time"
        value={draft.from}
        onChange={(e) => set({ from: e.target.value })}
        error={errors['callingHours.from']}
        hint="In the customer's time zone (their record's, else their number's country)"
      />
      <TextField
        label="Calling hours to"
        type="time"
        value={draft.to}
        onChange={(e) => set({ to: e.target.value })}
        error={errors['callingHours.to']}
        hint="The same time as “from” means all day"
      />
      <NumberField
        draft={draft}
        set={set}
        field="ringSeconds"
        label="Ring the customer for (s)"
        error={errors.ringSeconds}
      />
      <NumberField
        draft={draft}
        set={set}
        field="ownerRingSeconds"
        label="Customer first: ring the owner for (s)"
        error={errors.ownerRingSeconds}
        hint="Then the customer goes to the plan's queue"
      />
      <TextField
        label="Caller ID"
        value={draft.callerId}
        onChange={(e) => set({ callerId: e.target.value })}
        error={errors.callerId}
        hint="Empty: the trunk's. A plan's queue may set its own."
      />
      <div />
    </>
  );
}

/**
 * The dialing policy of auto-dialled calls (docs/dialer.md, "Policy"): attempts and their spacing
 * by outcome, calling hours in the customer's zone, ring times, the caller ID and the pacing.
 */
export function DialingPolicyForm({ current }: { current: DialingPolicyResponse }) {
  const [draft, setDraft] = useState(() => draftOf(current.policy, current.pacingInForce));
  const save = useSaveDialingPolicy();
  const errors = fieldErrorsOf(save.error);
  const set: SetDraft = (patch) => setDraft((old) => ({ ...old, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(updateOf(draft, current.policy.companyPrompt));
  };
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
        <DialingRulesFields draft={draft} set={set} errors={errors} />
        <PacingFields draft={draft} set={set} inForce={current.pacingInForce} errors={errors} />
        <div className="flex justify-end sm:col-span-2">
          <Button type="submit" disabled={save.isPending}>
            Save policy
          </Button>
        </div>
      </form>
    </Card>
  );
}
