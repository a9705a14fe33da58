import type { WaitingCall } from '@switchboard/shared';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useMoveWaitingCall } from '../api/move-waiting-call';
import { moveRow, movesFor } from '../components/waiting-list-order';
import { waitingCaller as who } from '../lib/waiting-caller';

/**
 * Reordering one queue's waiting calls: `moveTo` sends the moves and announces the new position;
 * `onKeyDown` is the rows' keyboard (Alt+↑/↓/End move, ↑/↓ go to the next row). The moved row gets
 * the focus back once it is in its new place.
 */
export function useWaitingListMoves(
  queueId: number,
  calls: WaitingCall[],
  setAnnouncement: (text: string) => void,
) {
  const move = useMoveWaitingCall(queueId);
  const listRef = useRef<HTMLOListElement>(null);
  /** The row to give focus back to once it has moved (set while one of its own moves is on its way). */
  const refocus = useRef<string | null>(null);
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

  return { move, listRef, order, moveTo, onKeyDown };
}
