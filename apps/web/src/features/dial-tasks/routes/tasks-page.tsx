import { type DialTaskResult, roleAtLeast } from '@switchboard/shared';
import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { PageHeader } from '../../../components/page-header';
import { Pagination } from '../../../components/pagination';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import { useAgents } from '../../../lib/use-agents';
import { useDialTasks } from '../api/get-dial-tasks';
import { useUpdateDialTask } from '../api/update-dial-task';
import { TaskDialogs } from '../components/task-dialogs';
import { TaskFilters } from '../components/task-filters';
import { TasksTable } from '../components/tasks-table';
import { useTaskDialogs } from '../hooks/use-task-dialogs';

/** Outbound Dial Task: an agent's assigned tasks; a supervisor's planning board. */
export function TasksPage({ viewer }: { viewer: DeskUser }) {
  const supervisor = roleAtLeast(viewer.role, 'supervisor');
  const agents = useAgents(supervisor);
  const [assignee, setAssignee] = useState('');
  const [result, setResult] = useState<DialTaskResult | ''>('');
  const [page, setPage] = useState(1);
  const tasks = useDialTasks({
    assignee: assignee ? Number(assignee) : undefined,
    result: result || undefined,
    page,
    limit: 20,
  });
  const update = useUpdateDialTask();
  const [notice, setNotice] = useState<string | null>(null);
  const dialogs = useTaskDialogs();

  return (
    <div>
      <PageHeader
        title="Outbound Tasks"
        description={
          supervisor
            ? 'Plan calls for your agents: one at a time or from a CSV file.'
            : 'Calls your supervisor asked you to make between the start and end date. Correct the result if it is wrong.'
        }
        actions={
          supervisor ? (
            <>
              <Button variant="secondary" onClick={() => dialogs.setImporting(true)}>
                Import CSV
              </Button>
              <Button onClick={() => dialogs.setCreating(true)}>New task</Button>
            </>
          ) : undefined
        }
      />
      <TaskFilters
        supervisor={supervisor}
        agents={agents.data ?? []}
        assignee={assignee}
        onAssignee={(a) => {
          setAssignee(a);
          setPage(1);
        }}
        result={result}
        onResult={(r) => {
          setResult(r);
          setPage(1);
        }}
      />
      {notice ? (
        <div className="mb-4">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      {update.error ? (
        <div className="mb-4">
          <Alert tone="error">{errorMessage(update.error)}</Alert>
        </div>
      ) : null}
      <TasksTable
        tasks={tasks}
        supervisor={supervisor}
        timeZone={viewer.timeZone}
        update={update}
        onNotice={setNotice}
        dialogs={dialogs}
      />
      {tasks.data ? (
        <Pagination
          page={tasks.data.page}
          limit={tasks.data.limit}
          total={tasks.data.total}
          noun="tasks"
          onPage={setPage}
        />
      ) : null}
      {supervisor ? (
        <TaskDialogs dialogs={dialogs} viewer={viewer} agents={agents.data ?? []} onNotice={setNotice} />
      ) : null}
    </div>
  );
}
