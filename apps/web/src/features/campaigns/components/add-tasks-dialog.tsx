import type { DialTask } from '@switchboard/shared';
import { type Dispatch, type SetStateAction, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { errorMessage } from '../../../lib/field-errors';
import { useAddCampaignTasks } from '../api/add-campaign-tasks';
import { usePendingDialTasks } from '../api/get-pending-dial-tasks';
import { CustomerSourceForm } from './customer-source-form';

/**
 * Adds work to a campaign: pending dial tasks picked from a list (a task is in one campaign at a
 * time), or a dial task for each customer a CRM search finds.
 */
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
  const [source, setSource] = useState<'tasks' | 'customers'>('tasks');

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the choice each time it opens
  useEffect(() => {
    setChosen([]);
    setSource('tasks');
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
          {source === 'tasks' ? (
            <Button onClick={submit} disabled={!chosen.length || add.isPending}>
              Add {chosen.length || ''}
            </Button>
          ) : null}
        </>
      }
    >
      <SourceSwitch source={source} onChange={setSource} />
      {source === 'customers' && campaign ? (
        <CustomerSourceForm
          campaign={campaign}
          onSaved={(message) => {
            onSaved(message);
            onClose();
          }}
        />
      ) : (
        <PendingTaskList tasks={tasks.data ?? []} chosen={chosen} setChosen={setChosen} error={add.error} />
      )}
    </Dialog>
  );
}

function SourceSwitch({
  source,
  onChange,
}: {
  source: 'tasks' | 'customers';
  onChange: (source: 'tasks' | 'customers') => void;
}) {
  return (
    <fieldset className="mb-3 flex gap-4 text-sm">
      <legend className="sr-only">Add from</legend>
      {(
        [
          ['tasks', 'Pending dial tasks'],
          ['customers', 'Customers (CRM search)'],
        ] as const
      ).map(([value, label]) => (
        <label key={value} className="flex items-center gap-2">
          <input
            type="radio"
            name="campaign-source"
            checked={source === value}
            onChange={() => onChange(value)}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

function PendingTaskList({
  tasks,
  chosen,
  setChosen,
  error,
}: {
  tasks: DialTask[];
  chosen: number[];
  setChosen: Dispatch<SetStateAction<number[]>>;
  error: unknown;
}) {
  return (
    <>
      {error ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      <div className="max-h-80 space-y-1 overflow-y-auto">
        {tasks.length === 0 ? (
          <p className="text-sm text-slate-500">No pending dial tasks.</p>
        ) : (
          tasks.map((t) => (
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
    </>
  );
}
