import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { waitingListKey } from './get-waiting-calls';

/** `POST /api/queues/:id/waiting/:callId/assign` (supervisor): ring this agent for the call now. */
export function useAssignWaitingCall(queueId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ callId, userId }: { callId: string; userId: number }) =>
      api.post<{ callId: string; userId: number; status: 'ringing' }>(
        `/api/queues/${queueId}/waiting/${encodeURIComponent(callId)}/assign`,
        { userId },
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: waitingListKey(queueId) }),
  });
}
