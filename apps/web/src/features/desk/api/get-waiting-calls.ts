import type { WaitingCall } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface WaitingList {
  /** Latest arrival first (docs/agent-desk.md); the last call is served next. */
  calls: WaitingCall[];
  /** When the list was read, by this browser's clock: wait times tick from here, whatever the server's clock says. */
  fetchedAt: number;
}

/*
 * Not under `liveQueryKeys.queues`: the desk refreshes this list itself on `queue_waiting` events, so
 * it can hold back while the agent's own reorder is on its way and keep the optimistic order steady.
 */
export const waitingListKey = (queueId: number) => ['desk-waiting', queueId] as const;

/** `GET /api/queues/:id/waiting`. */
export function useWaitingList(queueId: number) {
  return useQuery({
    queryKey: waitingListKey(queueId),
    queryFn: async (): Promise<WaitingList> => {
      const res = await api.get<{ queueId: number; calls: WaitingCall[] }>(`/api/queues/${queueId}/waiting`);
      return { calls: res.calls, fetchedAt: Date.now() };
    },
  });
}
