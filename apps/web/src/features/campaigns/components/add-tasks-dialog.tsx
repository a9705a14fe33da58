import { useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { errorMessage } from '../../../lib/field-errors';
import { useAddCampaignTasks } from '../api/add-campaign-tasks';
import { usePendingDialTasks } from '../api/get-pending-dial-tasks';

/** Picks pending dial tasks to add to a campaign (a task is in one campaign at a time). */
export function AddTasksDialog({
  campaign,
  onClose,
  onSaved,
}: {
  campaign: { id: number; name: string } | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const open = campaign !== null;
  const tasks = usePendingDialTasks(open);
  const add = useAddCampaignTasks();
  const [chosen, setChosen] = useState<number[]>([]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the choice each time it opens
  useEffect(() => {
    setChosen([]);
    add.reset();
  }, [campaign?.id]);

  const submit = () => {
    if (!campaign || !chosen.length) return;
    add.mutate(
      { id: campaign.id, taskIds: chosen },
      {
        onSuccess: (res) => {
          onSaved(`${res.added} task(s) added to “${campaign.name}”.`);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      open={open}
      title={`Add dial tasks to ${campaign?.name ?? ''}`}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} disabled={!chosen.length || add.isPending}>
            Add {chosen.length || ''}
          </Button>
        </>
      }
    >
      {add.isError ? <Alert tone="error">{errorMessage(add.error)}</Alert> : null}
      <div className="max-h-80 space-y-1 overflow-y-auto">
        {(tasks.data ?? []).length === 0 ? (
          <p className="text-sm text-slate-500">No pending dial tasks.</p>
        ) : (
          (tasks.data ?? []).map((t) => (
            <label key={t.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={chosen.includes(t.id)}
                onChange={(e) =>
                  setChosen((ids) => (e.target.checked ? [...ids, t.id] : ids.filter((id) => id !== t.id)))
                }
              />
              <span className="font-medium">{t.customer?.name ?? t.number}</span>
              <span className="text-slate-500">
                {t.number} · {t.assignee.displayName}
              </span>
            </label>
          ))
        )}
      </div>
    </Dialog>
  );
}
