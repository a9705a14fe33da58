import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { queuesKey } from './get-queues';

/** Deletes a queue; the server refuses (409, saying why) while calls wait or anything routes to it. */
export function useDeleteQueue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/admin/queues/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: queuesKey }),
  });
}
