import type { QueueSummary, WaitingCall } from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import { useWaitingList, waitingListKey } from '../api/get-waiting-calls';
import { moveWaitingCallKey } from '../api/move-waiting-call';
import { useWaitingListMoves } from '../hooks/use-waiting-list-moves';
import { waitingCaller as who } from '../lib/waiting-caller';
import { WaitingCallRow } from './waiting-call-row';
import { WaitingListAssignDialog } from './waiting-list-assign-dialog';

/** One queue's waiting calls: reorder with buttons, the keyboard or drag and drop; live for everyone. */
export function WaitingListQueue({
  queue,
  now,
  canAssign,
}: {
  queue: QueueSummary;
  now: number;
  canAssign: boolean;
}) {
  const qc = useQueryClient();
  const list = useWaitingList(queue.id);
  const [announcement, setAnnouncement] = useState('');
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropIndex, setDropIndex] = useState<number | null>(null);
  const [assigning, setAssigning] = useState<WaitingCall | null>(null);

  useLiveEvent('queue_waiting', (e) => {
    if (e.queueId !== queue.id) return;
    // The reorder in flight refreshes the list when it settles; refreshing now would flash a half-done order.
    if (qc.isMutating({ mutationKey: moveWaitingCallKey(queue.id) }) > 0) return;
    void qc.invalidateQueries({ queryKey: waitingListKey(queue.id) });
  });

  const calls = list.data?.calls ?? [];
  const { move, listRef, order, moveTo, onKeyDown } = useWaitingListMoves(queue.id, calls, setAnnouncement);

  const onDrop = (e: DragEvent, index: number) => {
    e.preventDefault();
    const from = dragging ? order.indexOf(dragging) : -1;
    setDragging(null);
    setDropIndex(null);
    if (from >= 0) moveTo(from, index);
  };

  const headingId = `waiting-queue-${queue.id}`;
  return (
    <section aria-labelledby={headingId} data-testid={`waiting-queue-${queue.name}`}>
      <div className="mb-2 flex items-baseline justify-between gap-2">
        <h3 id={headingId} className="text-sm font-medium text-slate-800">
          {queue.name}
        </h3>
        <span className="text-xs text-slate-500">
          {list.data ? `${calls.length} waiting` : ''} · {queue.agentsAvailable} agent
          {queue.agentsAvailable === 1 ? '' : 's'} available
        </span>
      </div>
      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
      {move.error ? (
        <div className="mb-2">
          <Alert tone="error">
            The call could not be moved: {move.error.message}. The list is back as it was.
          </Alert>
        </div>
      ) : null}
      {list.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : list.error ? (
        <div className="flex items-center gap-3">
          <Alert tone="error">The waiting calls could not be loaded: {list.error.message}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void list.refetch()}>
            Try again
          </Button>
        </div>
      ) : calls.length === 0 ? (
        <p className="rounded-md bg-slate-50 px-3 py-3 text-sm text-slate-500">No calls waiting.</p>
      ) : (
        <ol
          ref={listRef}
          aria-label={`Calls waiting in ${queue.name}, latest arrival first`}
          aria-describedby="waiting-list-help"
          className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200"
        >
          {calls.map((call, index) => (
            <WaitingCallRow
              key={call.callId}
              queueId={queue.id}
              call={call}
              index={index}
              count={calls.length}
              waitS={call.waitS + Math.floor((now - (list.data?.fetchedAt ?? now)) / 1000)}
              canAssign={canAssign}
              dragging={dragging}
              dropIndex={dropIndex}
              setDragging={setDragging}
              setDropIndex={setDropIndex}
              onKeyDown={onKeyDown}
              onDrop={onDrop}
              moveTo={moveTo}
              onAssign={setAssigning}
            />
          ))}
        </ol>
      )}
      {canAssign ? (
        <WaitingListAssignDialog
          queue={queue}
          call={assigning}
          onClose={() => setAssigning(null)}
          onAssigned={(agent) =>
            setAnnouncement(`Ringing ${agent} for ${assigning ? who(assigning) : 'the call'}`)
          }
        />
      ) : null}
    </section>
  );
}
