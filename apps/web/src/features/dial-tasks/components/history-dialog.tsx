import { type DialTask, type DialTaskResult, dialTaskResultLabels } from '@switchboard/shared';
import { Dialog } from '../../../components/dialog';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import { formatDate, formatDateTime } from '../../../lib/format';
import { useDialTaskHistory } from '../api/get-dial-task-history';

const actions: Record<string, string> = {
  create: 'Created',
  import: 'Imported',
  update: 'Edited',
  result: 'Result changed',
  delete: 'Deleted',
};
const fields: Record<string, string> = {
  result: 'Result',
  number: 'Number',
  customerId: 'Customer',
  assignedUserId: 'Agent',
  startAt: 'Start',
  endAt: 'End',
  note: 'Note',
};

function show(field: string, value: unknown, zone: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'result') return dialTaskResultLabels[value as DialTaskResult] ?? String(value);
  if ((field === 'startAt' || field === 'endAt') && typeof value === 'number') return formatDate(value, zone);
  if (field === 'customerId' || field === 'assignedUserId') return `#${value}`;
  return String(value);
}

/** Who changed the task and how, from the audit log (supervisors). */
export function HistoryDialog({
  task,
  viewer,
  onClose,
}: {
  task: DialTask | null;
  viewer: DeskUser;
  onClose: () => void;
}) {
  const history = useDialTaskHistory(task?.id ?? null);
  return (
    <Dialog
      open={task !== null}
      onClose={onClose}
      title="Task history"
      description={task ? `${task.customer?.name ?? task.number} · ${task.assignee.displayName}` : undefined}
    >
      {history.isPending ? (
        <p className="text-sm text-slate-500">Loading history…</p>
      ) : history.isError ? (
        <p className="text-sm text-red-700">Could not load the history: {errorMessage(history.error)}</p>
      ) : (
        <ol className="space-y-3" aria-label="Changes, oldest first">
          {history.data.history.map((h) => (
            <li
              key={`${h.at}-${h.action}-${JSON.stringify(h.changes)}`}
              className="rounded-md bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-200"
            >
              <div className="flex justify-between gap-4">
                <span className="font-medium text-slate-900">{actions[h.action] ?? h.action}</span>
                <span className="text-slate-500">
                  {h.actor ?? 'System'} · {formatDateTime(h.at, viewer.timeZone)}
                </span>
              </div>
              {h.action === 'update' || h.action === 'result' ? (
                <ul className="mt-1 text-slate-600">
                  {h.changes.map((c) => (
                    <li key={c.field}>
                      {fields[c.field] ?? c.field}: {show(c.field, c.from, viewer.timeZone)} →{' '}
                      <span className="font-medium text-slate-900">
                        {show(c.field, c.to, viewer.timeZone)}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}
