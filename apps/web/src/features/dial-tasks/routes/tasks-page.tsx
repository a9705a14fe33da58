import {
  type DialTask,
  type DialTaskResult,
  dialTaskResultLabels,
  dialTaskResults,
  roleAtLeast,
} from '@switchboard/shared';
import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { DialButton } from '../../../components/dial-button';
import { Dialog } from '../../../components/dialog';
import { PageHeader } from '../../../components/page-header';
import { Pagination } from '../../../components/pagination';
import { SelectField } from '../../../components/select-field';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import { formatDate } from '../../../lib/format';
import { useAgents } from '../../../lib/use-agents';
import { useDeleteDialTask } from '../api/delete-dial-task';
import { useDialTasks } from '../api/get-dial-tasks';
import { useUpdateDialTask } from '../api/update-dial-task';
import { HistoryDialog } from '../components/history-dialog';
import { ImportDialog } from '../components/import-dialog';
import { ResultSelect } from '../components/result-select';
import { TaskFormDialog } from '../components/task-form-dialog';

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
  const del = useDeleteDialTask();
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<DialTask | null>(null);
  const [history, setHistory] = useState<DialTask | null>(null);
  const [deleting, setDeleting] = useState<DialTask | null>(null);
  const now = Date.now();
  const columns = supervisor ? 7 : 6;

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
              <Button variant="secondary" onClick={() => setImporting(true)}>
                Import CSV
              </Button>
              <Button onClick={() => setCreating(true)}>New task</Button>
            </>
          ) : undefined
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-4">
        {supervisor ? (
          <SelectField
            className="w-48"
            label="Agent"
            value={assignee}
            onChange={(e) => {
              setAssignee(e.target.value);
              setPage(1);
            }}
          >
            <option value="">All agents</option>
            {(agents.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}
              </option>
            ))}
          </SelectField>
        ) : null}
        <SelectField
          className="w-52"
          label="Result"
          value={result}
          onChange={(e) => {
            setResult(e.target.value as DialTaskResult | '');
            setPage(1);
          }}
        >
          <option value="">Any result</option>
          {dialTaskResults.map((r) => (
            <option key={r} value={r}>
              {dialTaskResultLabels[r]}
            </option>
          ))}
        </SelectField>
      </div>
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
          tasks.data.tasks.map((t) => {
            const who = t.customer?.name ?? t.number;
            const overdue = t.endAt < now && t.result === 'pending';
            return (
              <tr key={t.id}>
                <Td>
                  <div className="font-medium text-slate-900">{t.customer?.name ?? 'No customer'}</div>
                  <div className="text-slate-500 tabular-nums">{t.number}</div>
                </Td>
                {supervisor ? <Td>{t.assignee.displayName}</Td> : null}
                <Td className="whitespace-nowrap">{formatDate(t.startAt, viewer.timeZone)}</Td>
                <Td className="whitespace-nowrap">
                  {formatDate(t.endAt, viewer.timeZone)}
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
                        {
                          onSuccess: () => setNotice(`Result for ${who} set to ${dialTaskResultLabels[r]}.`),
                        },
                      )
                    }
                  />
                </Td>
                <Td className="text-right whitespace-nowrap">
                  <DialButton
                    variant="ghost"
                    number={t.number}
                    reference={{ dialTaskId: t.id }}
                    label={`Call ${who}`}
                  >
                    Call
                  </DialButton>
                  {supervisor ? (
                    <>
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Edit task for ${who}`}
                        onClick={() => setEditing(t)}
                      >
                        Edit
                      </Button>
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`History of task for ${who}`}
                        onClick={() => setHistory(t)}
                      >
                        History
                      </Button>
                      <Button
                        variant="ghost-danger"
                        size="sm"
                        aria-label={`Delete task for ${who}`}
                        onClick={() => setDeleting(t)}
                      >
                        Delete
                      </Button>
                    </>
                  ) : null}
                </Td>
              </tr>
            );
          })
        )}
      </Table>
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
        <>
          <TaskFormDialog
            open={creating}
            viewer={viewer}
            agents={agents.data ?? []}
            onClose={() => setCreating(false)}
            onSaved={setNotice}
          />
          <TaskFormDialog
            open={editing !== null}
            task={editing ?? undefined}
            viewer={viewer}
            agents={agents.data ?? []}
            onClose={() => setEditing(null)}
            onSaved={setNotice}
          />
          <ImportDialog
            open={importing}
            viewer={viewer}
            onClose={() => setImporting(false)}
            onImported={setNotice}
          />
          <HistoryDialog task={history} viewer={viewer} onClose={() => setHistory(null)} />
          <Dialog
            open={deleting !== null}
            onClose={() => setDeleting(null)}
            size="sm"
            title="Delete this task?"
            description={
              deleting
                ? `${deleting.customer?.name ?? deleting.number} · ${deleting.assignee.displayName}`
                : undefined
            }
            footer={
              <>
                <Button variant="secondary" onClick={() => setDeleting(null)}>
                  Keep task
                </Button>
                <Button
                  variant="danger"
                  disabled={del.isPending}
                  onClick={() =>
                    deleting &&
                    del.mutate(deleting.id, {
                      onSuccess: () => {
                        setDeleting(null);
                        setNotice('The task was deleted.');
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
        </>
      ) : null}
    </div>
  );
}
