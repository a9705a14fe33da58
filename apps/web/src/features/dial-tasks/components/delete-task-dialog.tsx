import type { DialTask } from '@switchboard/shared';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { errorMessage } from '../../../lib/field-errors';
import { useDeleteDialTask } from '../api/delete-dial-task';

/** Asks before a task is deleted; the agent no longer sees it, its history stays. */
export function DeleteTaskDialog({
  task,
  onClose,
  onDeleted,
}: {
  task: DialTask | null;
  onClose: () => void;
  onDeleted: (message: string) => void;
}) {
  const del = useDeleteDialTask();
  return (
    <Dialog
      open={task !== null}
      onClose={onClose}
      size="sm"
      title="Delete this task?"
      description={task ? `${task.customer?.name ?? task.number} · ${task.assignee.displayName}` : undefined}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Keep task
          </Button>
          <Button
            variant="danger"
            disabled={del.isPending}
            onClick={() =>
              task &&
              del.mutate(task.id, {
                onSuccess: () => {
                  onClose();
                  onDeleted('The task was deleted.');
                },
              })
            }
          >
            {del.isPending ? 'Deleting…' : 'Delete task'}
          </Button>
        </>
      }
    >
      {del.error ? <Alert tone="error">{errorMessage(del.error)}</Alert> : null}
      <p className="text-sm text-slate-600">
        The agent no longer sees it. Its history stays in the audit log.
      </p>
    </Dialog>
  );
}
