import type { QueueSummary, WaitingCall } from '@switchboard/shared';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { useAssignWaitingCall } from '../api/assign-waiting-call';
import { type QueueAgent, useQueueAgents } from '../api/get-queue-agents';

const statusText: Record<QueueAgent['status'], string> = {
  logged_out: 'Logged out',
  idle: 'Idle',
  paused: 'Paused',
  on_call: 'On a call',
  wrapup: 'Wrap-up',
};

function agentState(a: QueueAgent): string {
  if (a.pausedHere) return `Paused here · ${a.pausedHere}`;
  return statusText[a.status];
}

/** A supervisor sends a waiting call to one of the queue's agents: that agent's phone rings now. */
export function WaitingListAssignDialog({
  queue,
  call,
  onClose,
  onAssigned,
}: {
  queue: QueueSummary;
  call: WaitingCall | null;
  onClose: () => void;
  onAssigned: (agentName: string) => void;
}) {
  const agents = useQueueAgents(queue.id, call !== null);
  const assign = useAssignWaitingCall(queue.id);
  const close = () => {
    assign.reset();
    onClose();
  };
  const caller = call ? (call.callerName ?? call.callerNumber ?? 'Unknown caller') : '';
  return (
    <Dialog
      open={call !== null}
      title="Send to agent"
      description={call ? `Ring an agent of ${queue.name} for ${caller} now.` : undefined}
      onClose={close}
      size="sm"
      footer={
        <Button variant="secondary" onClick={close}>
          Cancel
        </Button>
      }
    >
      {agents.isPending ? (
        <p className="text-sm text-slate-500">Loading the queue's agents…</p>
      ) : agents.error ? (
        <Alert tone="error">The agents could not be loaded: {agents.error.message}</Alert>
      ) : agents.data.length === 0 ? (
        <p className="text-sm text-slate-500">This queue has no agents.</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label={`Agents of ${queue.name}`}>
          {agents.data.map((a) => (
            <li key={a.userId} className="flex items-center justify-between gap-3 py-2 text-sm">
              <span className="font-medium">{a.displayName}</span>
              <span className="flex items-center gap-2">
                <Badge tone={a.available ? 'green' : 'gray'}>{agentState(a)}</Badge>
                <Button
                  size="sm"
                  disabled={!a.available || assign.isPending}
                  title={
                    a.available ? undefined : 'Only an idle agent who is not paused here can take the call'
                  }
                  aria-label={`Send to ${a.displayName}`}
                  onClick={() =>
                    call &&
                    assign.mutate(
                      { callId: call.callId, userId: a.userId },
                      {
                        onSuccess: () => {
                          onAssigned(a.displayName);
                          close();
                        },
                      },
                    )
                  }
                >
                  Send
                </Button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {assign.error ? (
        <div className="mt-3">
          <Alert tone="error">{assign.error.message}</Alert>
        </div>
      ) : null}
    </Dialog>
  );
}
