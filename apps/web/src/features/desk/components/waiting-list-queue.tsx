import type { QueueSummary, WaitingCall } from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { type DragEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { formatDuration } from '../../../lib/format';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import { useWaitingList, waitingListKey } from '../api/get-waiting-calls';
import { moveWaitingCallKey, useMoveWaitingCall } from '../api/move-waiting-call';
import { WaitingListAssignDialog } from './waiting-list-assign-dialog';
import { moveRow, movesFor } from './waiting-list-order';

const who = (c: WaitingCall) =>
  `${c.callback ? 'Callback to ' : ''}${c.callerName ?? c.callerNumber ?? 'Unknown caller'}`;

/** A callback placeholder: the caller hung up and keeps this place; they are called back when it is served. */
function CallbackMark({ callback }: { callback: NonNullable<WaitingCall['callback']> }) {
  const tries = callback.attempts > 0 ? ` · ${callback.attempts} tried` : '';
  return (
    <Badge tone={callback.status === 'calling' ? 'blue' : 'amber'}>
      {callback.status === 'calling' ? `Calling back${tries}` : `Callback${tries}`}
    </Badge>
  );
}

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
  const move = useMoveWaitingCall(queue.id);
  const [announcement, setAnnouncement] = useState('');
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropIndex, setDropIndex] = useState<number | null>(null);
  const [assigning, setAssigning] = useState<WaitingCall | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  /** The row to give focus back to once it has moved (set while one of its own moves is on its way). */
  const refocus = useRef<string | null>(null);

  useLiveEvent('queue_waiting', (e) => {
    if (e.queueId !== queue.id) return;
    // The reorder in flight refreshes the list when it settles; refreshing now would flash a half-done order.
    if (qc.isMutating({ mutationKey: moveWaitingCallKey(queue.id) }) > 0) return;
    void qc.invalidateQueries({ queryKey: waitingListKey(queue.id) });
  });

  const calls = list.data?.calls ?? [];
  const order = calls.map((c) => c.callId);

  const rowOf = (callId: string) =>
    listRef.current?.querySelector<HTMLElement>(`[data-call-id="${CSS.escape(callId)}"]`) ?? null;

  // A moved row is re-inserted in the DOM, which drops focus: give it back so Alt+↑ can be pressed again.
  useEffect(() => {
    if (!refocus.current) return;
    const active = document.activeElement;
    if (active !== null && active !== document.body) return;
    rowOf(refocus.current)?.focus();
    refocus.current = null;
  });

  const moveTo = (from: number, to: number) => {
    const call = calls[from];
    const moves = movesFor(calls.length, from, to);
    if (!call || moves.length === 0) return;
    const next = moveRow(order, from, to);
    const position = calls.length - next.indexOf(call.callId);
    setAnnouncement(
      `${who(call)} moved to position ${position} of ${calls.length}${position === 1 ? ', served next' : ''}`,
    );
    refocus.current = call.callId;
    move.mutate(
      { callId: call.callId, moves, order: next },
      {
        onError: (err) => setAnnouncement(`${who(call)} could not be moved: ${err.message}`),
        onSettled: () => {
          if (refocus.current === call.callId) refocus.current = null;
        },
      },
    );
  };

  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>, index: number) => {
    const call = calls[index];
    if (!call) return;
    if (e.target !== e.currentTarget) return; // keys on the row's buttons are theirs
    if (e.altKey && e.key === 'ArrowUp') {
      e.preventDefault();
      moveTo(index, index - 1);
    } else if (e.altKey && e.key === 'ArrowDown') {
      e.preventDefault();
      moveTo(index, index + 1);
    } else if (e.altKey && e.key === 'End') {
      e.preventDefault();
      moveTo(index, calls.length - 1);
    } else if (!e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      const next = calls[index + (e.key === 'ArrowUp' ? -1 : 1)];
      if (next) rowOf(next.callId)?.focus();
    }
  };

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
          {calls.map((call, index) => {
            const waitS = call.waitS + Math.floor((now - (list.data?.fetchedAt ?? now)) / 1000);
            const last = index === calls.length - 1;
            return (
              <li
                key={call.callId}
                data-call-id={call.callId}
                data-testid="waiting-call"
                // biome-ignore lint/a11y/noNoninteractiveTabindex: a focusable row is what Alt+↑/↓ move (keyboard reordering)
                tabIndex={0}
                draggable
                aria-label={`${who(call)}${call.callback ? ' (callback placeholder, caller not on the line)' : ''}, position ${call.position}${call.position === 1 ? ', served next' : ''}`}
                onKeyDown={(e) => onKeyDown(e, index)}
                onDragStart={(e) => {
                  setDragging(call.callId);
                  e.dataTransfer.effectAllowed = 'move';
                  e.dataTransfer.setData('text/plain', call.callId);
                }}
                onDragOver={(e) => {
                  if (!dragging) return;
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'move';
                  if (dropIndex !== index) setDropIndex(index);
                }}
                onDragEnd={() => {
                  setDragging(null);
                  setDropIndex(null);
                }}
                onDrop={(e) => onDrop(e, index)}
                className={`flex cursor-grab flex-wrap items-center gap-x-3 gap-y-2 px-3 py-2 text-sm outline-none focus-visible:bg-brand-50 focus-visible:ring-2 focus-visible:ring-brand-500 ${dragging === call.callId ? 'opacity-50' : ''} ${dropIndex === index && dragging !== call.callId ? 'bg-brand-50' : ''}`}
              >
                <span className="w-12 shrink-0 text-xs text-slate-500" data-testid="waiting-position">
                  {last && call.position === 1 ? 'Next' : `#${call.position}`}
                </span>
                <span className="min-w-0 flex-1">
                  <span className="font-mono text-slate-900" data-testid="waiting-caller">
                    {call.callerNumber ?? 'Unknown number'}
                  </span>
                  {call.callerName ? <span className="ml-2 text-slate-500">{call.callerName}</span> : null}
                </span>
                {call.callback ? (
                  <span data-testid="waiting-callback">
                    <CallbackMark callback={call.callback} />
                  </span>
                ) : call.ringing.length > 0 ? (
                  <Badge tone="blue">Ringing an agent</Badge>
                ) : null}
                <span
                  className="w-14 text-right font-mono tabular-nums text-slate-700"
                  data-testid="waiting-time"
                >
                  {formatDuration(waitS)}
                </span>
                <span className="flex gap-1">
                  <Button
                    variant="ghost"
                    size="sm"
                    disabled={index === 0}
                    aria-label={`Serve ${who(call)} later (move up)`}
                    title="Serve later (Alt+↑)"
                    onClick={() => moveTo(index, index - 1)}
                  >
                    ↑
                  </Button>
                  <Button
                    variant="ghost"
                    size="sm"
                    disabled={last}
                    aria-label={`Serve ${who(call)} sooner (move down)`}
                    title="Serve sooner (Alt+↓)"
                    onClick={() => moveTo(index, index + 1)}
                  >
                    ↓
                  </Button>
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={last}
                    aria-label={`Serve ${who(call)} next`}
                    title="Serve next (Alt+End)"
                    onClick={() => moveTo(index, calls.length - 1)}
                  >
                    Serve next
                  </Button>
                  {canAssign ? (
                    <Button
                      variant="secondary"
                      size="sm"
                      aria-label={`Send ${who(call)} to an agent`}
                      onClick={() => setAssigning(call)}
                    >
                      Send to agent
                    </Button>
                  ) : null}
                </span>
              </li>
            );
          })}
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
