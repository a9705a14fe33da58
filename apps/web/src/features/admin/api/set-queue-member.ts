import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { queuesKey } from './get-queues';

/** Add a member or change their penalty; `penalty: null` removes them. */
export function useSetQueueMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      queueId,
      userId,
      penalty,
    }: {
      queueId: number;
      userId: number;
      penalty: number | null;
    }) =>
      penalty === null
        ? api.delete(`/api/admin/queues/${queueId}/members/${userId}`)
        : api.put(`/api/admin/queues/${queueId}/members/${userId}`, { penalty }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queuesKey }),
  });
}
