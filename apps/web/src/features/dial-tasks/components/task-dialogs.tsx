import type { DeskUser } from '../../../lib/desk-user';
import type { AgentSummary } from '../../../lib/use-agents';
import type { TaskDialogs as Dialogs } from '../hooks/use-task-dialogs';
import { DeleteTaskDialog } from './delete-task-dialog';
import { HistoryDialog } from './history-dialog';
import { ImportDialog } from './import-dialog';
import { TaskFormDialog } from './task-form-dialog';

/** The supervisor's dialogs on the planning board: new, edit, import, history and delete. */
export function TaskDialogs({
  dialogs,
  viewer,
  agents,
  onNotice,
}: {
  dialogs: Dialogs;
  viewer: DeskUser;
  agents: AgentSummary[];
  onNotice: (message: string) => void;
}) {
  const { creating, setCreating, editing, setEditing, importing, setImporting } = dialogs;
  return (
    <>
      <TaskFormDialog
        open={creating}
        viewer={viewer}
        agents={agents}
        onClose={() => setCreating(false)}
        onSaved={onNotice}
      />
      <TaskFormDialog
        open={editing !== null}
        task={editing ?? undefined}
        viewer={viewer}
        agents={agents}
        onClose={() => setEditing(null)}
        onSaved={onNotice}
      />
      <ImportDialog
        open={importing}
        viewer={viewer}
        onClose={() => setImporting(false)}
        onImported={onNotice}
      />
      <HistoryDialog task={dialogs.history} viewer={viewer} onClose={() => dialogs.setHistory(null)} />
      <DeleteTaskDialog
        task={dialogs.deleting}
        onClose={() => dialogs.setDeleting(null)}
        onDeleted={onNotice}
      />
    </>
  );
}
