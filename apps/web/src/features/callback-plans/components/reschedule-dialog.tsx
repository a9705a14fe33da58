import type { CallbackPlan } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { TextField } from '../../../components/text-field';
import { TextareaField } from '../../../components/textarea-field';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { toDateTimeInput } from '../../../lib/format';
import { useUpdateCallbackPlan } from '../api/update-callback-plan';

export function RescheduleDialog({
  viewer,
  plan,
  onClose,
}: {
  viewer: DeskUser;
  plan: CallbackPlan | null;
  onClose: () => void;
}) {
  const update = useUpdateCallbackPlan();
  const [dueAt, setDueAt] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when another plan opens
  useEffect(() => {
    if (!plan) return;
    setDueAt(toDateTimeInput(plan.dueAt, viewer.timeZone));
    setNote(plan.note ?? '');
    setErrors({});
    update.reset();
  }, [plan, viewer.timeZone]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!plan) return;
    update.mutate(
      { id: plan.id, dueAt, timeZone: viewer.timeZone, note },
      { onSuccess: onClose, onError: (err) => setErrors(fieldErrorsOf(err)) },
    );
  };
  return (
    <Dialog
      open={plan !== null}
      onClose={onClose}
      size="sm"
      title="Edit callback plan"
      description={plan?.customer ? `Callback to ${plan.customer.name}` : undefined}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="reschedule-form" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </Button>
        </>
      }
    >
      <form id="reschedule-form" onSubmit={submit} noValidate className="space-y-4">
        {update.error && Object.keys(errors).length === 0 ? (
          <Alert tone="error">{errorMessage(update.error)}</Alert>
        ) : null}
        <TextField
          label="Call back at"
          type="datetime-local"
          value={dueAt}
          onChange={(e) => setDueAt(e.target.value)}
          error={errors.dueAt}
          hint={`Your time zone: ${viewer.timeZone}`}
        />
        <TextareaField
          label="Note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={errors.note}
        />
      </form>
    </Dialog>
  );
}
