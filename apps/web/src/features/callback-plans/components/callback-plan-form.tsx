import type { CallbackPlanMode, CustomerPhone } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { TextareaField } from '../../../components/textarea-field';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useCreateCallbackPlan } from '../api/create-callback-plan';
import { useQueueChoices } from '../api/get-queue-choices';
import { defaultDueInput } from './due-time';
import { planModeLabels } from './plan-mode';

/** Plan a callback to one of the customer's numbers, at a time in the agent's time zone. */
export function CallbackPlanForm({
  viewer,
  customerId,
  phones,
}: {
  viewer: DeskUser;
  customerId: number;
  phones: CustomerPhone[];
}) {
  const create = useCreateCallbackPlan();
  const [phoneId, setPhoneId] = useState(phones[0]?.id ?? 0);
  const [dueAt, setDueAt] = useState(() => defaultDueInput(Date.now(), viewer.timeZone));
  const [note, setNote] = useState('');
  const [mode, setMode] = useState<CallbackPlanMode>('remind');
  const [queueId, setQueueId] = useState<number | null>(null);
  const queues = useQueueChoices();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    if (!dueAt) {
      setErrors({ dueAt: 'Choose when to call back' });
      return;
    }
    setErrors({});
    create.mutate(
      {
        customerId,
        phoneId,
        dueAt,
        timeZone: viewer.timeZone,
        note,
        mode,
        queueId: mode === 'customer_first' ? queueId : null,
      },
      {
        onSuccess: () => {
          setNote('');
          setSaved(
            mode === 'remind'
              ? 'Callback planned. You will be reminded when it is due.'
              : 'Callback planned. It will be dialled when it is due.',
          );
        },
        onError: (err) => setErrors(fieldErrorsOf(err)),
      },
    );
  };

  const formError = create.error && Object.keys(errors).length === 0 ? errorMessage(create.error) : null;
  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Callback plan">
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      {saved ? <Alert tone="success">{saved}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          label="Number to call"
          value={phoneId}
          onChange={(e) => setPhoneId(Number(e.target.value))}
          error={errors.phoneId}
        >
          {phones.map((p) => (
            <option key={p.id} value={p.id}>
              {p.number}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Call back at"
          type="datetime-local"
          value={dueAt}
          onChange={(e) => setDueAt(e.target.value)}
          error={errors.dueAt}
          hint={`Your time zone: ${viewer.timeZone}`}
        />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          label="When it is due"
          value={mode}
          onChange={(e) => setMode(e.target.value as CallbackPlanMode)}
          error={errors.mode}
        >
          {(Object.keys(planModeLabels) as CallbackPlanMode[]).map((m) => (
            <option key={m} value={m}>
              {planModeLabels[m]}
            </option>
          ))}
        </SelectField>
        {mode === 'customer_first' ? (
          <SelectField
            label="If I don't answer, queue"
            value={queueId ?? ''}
            onChange={(e) => setQueueId(e.target.value ? Number(e.target.value) : null)}
            error={errors.queueId}
            hint="The customer waits there first in line"
          >
            <option value="">No queue (try again later)</option>
            {(queues.data ?? []).map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </SelectField>
        ) : null}
      </div>
      <TextareaField
        label="Note (optional)"
        rows={2}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={errors.note}
        placeholder="What the customer wants to talk about"
      />
      <div className="flex justify-end">
        <Button type="submit" disabled={create.isPending || phones.length === 0}>
          {create.isPending ? 'Saving…' : 'Plan callback'}
        </Button>
      </div>
    </form>
  );
}
