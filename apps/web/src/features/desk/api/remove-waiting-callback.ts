import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { waitingListKey } from './get-waiting-calls';

/**
 * `DELETE /api/queues/:id/waiting/:callId` (supervisor): takes a callback placeholder out of the
 * queue; the customer is not called back.
 */
export function useRemoveWaitingCallback(queueId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (callId: string) =>
      api.delete<void>(`/api/queues/${queueId}/waiting/${encodeURIComponent(callId)}`),
    onSettled: () => qc.invalidateQueries({ queryKey: waitingListKey(queueId) }),
  });
}
