import type { WaitingMove } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { type WaitingList, waitingListKey } from './get-waiting-calls';

export interface MoveRequest {
  callId: string;
  /** Sent one after another: the server moves a call one place (or to the front) per request. */
  moves: WaitingMove['move'][];
  /** The list as it will look afterwards (call ids, top to bottom), shown at once. */
  order: string[];
}

export const moveWaitingCallKey = (queueId: number) => ['desk-waiting-move', queueId] as const;

/** Shows `order` at once and rolls back to the list as it was if the server refuses. */
export function useMoveWaitingCall(queueId: number) {
  const qc = useQueryClient();
  const queryKey = waitingListKey(queueId);
  return useMutation({
    mutationKey: moveWaitingCallKey(queueId),
    // One reorder after another per queue, so quick key presses reach the server in order.
    scope: { id: `desk-waiting-move-${queueId}` },
    mutationFn: async ({ callId, moves }: MoveRequest) => {
      for (const move of moves) {
        await api.post(`/api/queues/${queueId}/waiting/${encodeURIComponent(callId)}/position`, { move });
      }
    },
    onMutate: async ({ order }) => {
      await qc.cancelQueries({ queryKey });
      const previous = qc.getQueryData<WaitingList>(queryKey);
      if (previous)
        qc.setQueryData<WaitingList>(queryKey, { ...previous, calls: reorder(previous.calls, order) });
      return { previous };
    },
    onError: (_err, _req, context) => {
      if (context?.previous) qc.setQueryData(queryKey, context.previous);
    },
    onSettled: () => qc.invalidateQueries({ queryKey }),
  });
}

/** The calls in `order` (unknown ids dropped, missing calls kept at the end), positions renumbered. */
function reorder<T extends { callId: string; position: number }>(calls: T[], order: string[]): T[] {
  const byId = new Map(calls.map((c) => [c.callId, c]));
  const listed = order.flatMap((id) => {
    const c = byId.get(id);
    return c ? [c] : [];
  });
  const rest = calls.filter((c) => !order.includes(c.callId));
  const all = [...listed, ...rest];
  return all.map((c, i) => ({ ...c, position: all.length - i }));
}
