import type { QueueSummary } from '@switchboard/shared';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { useDeskQueues } from '../api/get-desk-queues';
import { useNow } from '../hooks/use-now';
import { WaitingListQueue } from './waiting-list-queue';

/**
 * The desk's "States" part: the calls waiting in the viewer's queues, latest arrival on top, with the wait
 * ticking; any agent of the queue can reorder them, and supervisors can send a call to an agent.
 */
export function WaitingListCard({ canAssign }: { canAssign: boolean }) {
  const queues = useDeskQueues();
  const now = useNow(1000);
  return (
    <Card title="Waiting calls" className="min-w-0 lg:col-span-3">
      <WaitingListBody
        queues={queues.data}
        pending={queues.isPending}
        error={queues.error}
        retry={() => void queues.refetch()}
        now={now}
        canAssign={canAssign}
      />
    </Card>
  );
}

function WaitingListBody({
  queues,
  pending,
  error,
  retry,
  now,
  canAssign,
}: {
  queues: QueueSummary[] | undefined;
  pending: boolean;
  error: Error | null;
  retry: () => void;
  now: number;
  canAssign: boolean;
}) {
  if (pending) return <p className="text-sm text-slate-500">Loading the waiting calls…</p>;
  if (error || !queues)
    return (
      <div className="space-y-3">
        <Alert tone="error">The waiting calls could not be loaded: {error?.message ?? 'no answer'}</Alert>
        <Button variant="secondary" size="sm" onClick={retry}>
          Try again
        </Button>
      </div>
    );
  if (queues.length === 0)
    return <p className="text-sm text-slate-500">You are in no queue, so no calls wait for you.</p>;
  return (
    <div className="space-y-5">
      <p className="text-xs text-slate-500" id="waiting-list-help">
        Latest arrival on top; the bottom call is served next. Drag a call, use its buttons, or focus it and
        press Alt+↑ / Alt+↓ to move it, Alt+End to serve it next.
      </p>
      {queues.map((q) => (
        <WaitingListQueue key={q.id} queue={q} now={now} canAssign={canAssign} />
      ))}
    </div>
  );
}
