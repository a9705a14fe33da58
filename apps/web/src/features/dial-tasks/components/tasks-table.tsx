import { EmptyRow, Table, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import type { useDialTasks } from '../api/get-dial-tasks';
import type { useUpdateDialTask } from '../api/update-dial-task';
import type { TaskDialogs } from '../hooks/use-task-dialogs';
import { TaskRow } from './task-row';

/** One page of tasks (an agent's own, or the supervisor's selection), or why there is none. */
export function TasksTable({
  tasks,
  supervisor,
  timeZone,
  update,
  onNotice,
  dialogs,
}: {
  tasks: ReturnType<typeof useDialTasks>;
  supervisor: boolean;
  timeZone: string;
  update: ReturnType<typeof useUpdateDialTask>;
  onNotice: (message: string) => void;
  dialogs: TaskDialogs;
}) {
  const now = Date.now();
  const columns = supervisor ? 7 : 6;
  return (
    <Table
      caption="Outbound tasks"
      head={
        <>
          <Th>Customer / number</Th>
          {supervisor ? <Th>Agent</Th> : null}
          <Th>Start date</Th>
          <Th>End date</Th>
          <Th>Note</Th>
          <Th>Result</Th>
          <Th className="text-right">
            <span className="sr-only">Actions</span>
          </Th>
        </>
      }
    >
      {tasks.isPending ? (
        <EmptyRow colSpan={columns}>Loading tasks…</EmptyRow>
      ) : tasks.isError ? (
        <EmptyRow colSpan={columns}>
          <span className="text-red-700">Could not load tasks: {errorMessage(tasks.error)}</span>
        </EmptyRow>
      ) : tasks.data.tasks.length === 0 ? (
        <EmptyRow colSpan={columns}>
          {supervisor
            ? 'No tasks match. Create one with “New task” or import a CSV file.'
            : 'No tasks are assigned to you.'}
        </EmptyRow>
      ) : (
        tasks.data.tasks.map((t) => (
          <TaskRow
            key={t.id}
            task={t}
            supervisor={supervisor}
            timeZone={timeZone}
            now={now}
            update={update}
            onNotice={onNotice}
            dialogs={dialogs}
          />
        ))
      )}
    </Table>
  );
}
