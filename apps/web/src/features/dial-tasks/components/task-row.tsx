import { type DialTask, dialTaskResultLabels } from '@switchboard/shared';
import { Button } from '../../../components/button';
import { DialButton } from '../../../components/dial-button';
import { Td } from '../../../components/table';
import { formatDate } from '../../../lib/format';
import type { useUpdateDialTask } from '../api/update-dial-task';
import type { TaskDialogs } from '../hooks/use-task-dialogs';
import { ResultSelect } from './result-select';

/** One task: whom to call and when, its result (changeable), Call, and a supervisor's Edit, History, Delete. */
export function TaskRow({
  task: t,
  supervisor,
  timeZone,
  now,
  update,
  onNotice,
  dialogs,
}: {
  task: DialTask;
  supervisor: boolean;
  timeZone: string;
  now: number;
  update: ReturnType<typeof useUpdateDialTask>;
  onNotice: (message: string) => void;
  dialogs: TaskDialogs;
}) {
  const who = t.customer?.name ?? t.number;
  const overdue = t.endAt < now && t.result === 'pending';
  return (
    <tr>
      <Td>
        <div className="font-medium text-slate-900">{t.customer?.name ?? 'No customer'}</div>
        <div className="text-slate-500 tabular-nums">{t.number}</div>
      </Td>
      {supervisor ? <Td>{t.assignee.displayName}</Td> : null}
      <Td className="whitespace-nowrap">{formatDate(t.startAt, timeZone)}</Td>
      <Td className="whitespace-nowrap">
        {formatDate(t.endAt, timeZone)}
        {overdue ? <div className="text-xs font-medium text-red-700">Past end date</div> : null}
      </Td>
      <Td className="max-w-56">
        <span className="line-clamp-2">{t.note ?? '—'}</span>
      </Td>
      <Td>
        <ResultSelect
          value={t.result}
          label={`Result for ${who}`}
          disabled={update.isPending}
          onChange={(r) =>
            update.mutate(
              { id: t.id, result: r },
              { onSuccess: () => onNotice(`Result for ${who} set to ${dialTaskResultLabels[r]}.`) },
            )
          }
        />
      </Td>
      <Td className="text-right whitespace-nowrap">
        <DialButton variant="ghost" number={t.number} reference={{ dialTaskId: t.id }} label={`Call ${who}`}>
          Call
        </DialButton>
        {supervisor ? (
          <>
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Edit task for ${who}`}
              onClick={() => dialogs.setEditing(t)}
            >
              Edit
            </Button>
            <Button
              variant="ghost"
              size="sm"
              aria-label={`History of task for ${who}`}
              onClick={() => dialogs.setHistory(t)}
            >
              History
            </Button>
            <Button
              variant="ghost-danger"
              size="sm"
              aria-label={`Delete task for ${who}`}
              onClick={() => dialogs.setDeleting(t)}
            >
              Delete
            </Button>
          </>
        ) : null}
      </Td>
    </tr>
  );
}
