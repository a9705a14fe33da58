import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import type { AdminQueue } from '../api/get-queues';
import { useSaveQueue } from '../api/save-queue';
import { type QueueForm, queueBodyOf, queueFormOf } from '../lib/queue-form';
import { QueueDeliveryFields, QueueVirtualHoldFields, QueueWaitingFields } from './queue-fields';

/** The queue form's state and its submission; the dialog closes once the server accepts it. */
function useQueueForm(queue: AdminQueue | null, onClose: () => void) {
  const save = useSaveQueue();
  const [f, setF] = useState<QueueForm>(() => queueFormOf(queue));
  const errors = fieldErrorsOf(save.error);
  const set = (patch: Partial<QueueForm>) => setF((prev) => ({ ...prev, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(queueBodyOf(f, queue?.id), { onSuccess: onClose });
  };
  return { save, f, set, errors, submit };
}

/** Create a queue (`queue` null) or edit every setting of one; the server's field errors show on the fields. */
export function QueueDialog({ queue, onClose }: { queue: AdminQueue | null; onClose: () => void }) {
  const { save, f, set, errors, submit } = useQueueForm(queue, onClose);
  const fields = { f, set, errors };
  return (
    <Dialog
      open
      size="lg"
      title={queue ? `Edit queue · ${queue.name}` : 'New queue'}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="queue-form" disabled={save.isPending}>
            {queue ? 'Save' : 'Create queue'}
          </Button>
        </>
      }
    >
      <form id="queue-form" onSubmit={submit} className="grid grid-cols-2 gap-4">
        {save.isError && Object.keys(errors).length === 0 ? (
          <div className="col-span-2">
            <Alert tone="error">{errorMessage(save.error)}</Alert>
          </div>
        ) : null}
        <TextField
          label="Name"
          value={f.name}
          onChange={(e) => set({ name: e.target.value })}
          error={errors.name}
          className="col-span-2"
        />
        <QueueDeliveryFields {...fields} />
        <QueueWaitingFields {...fields} queueId={queue?.id} />
        <QueueVirtualHoldFields {...fields} />
      </form>
    </Dialog>
  );
}
