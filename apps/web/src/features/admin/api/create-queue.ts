import type { QueueInput } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { queuesKey } from './get-queues';

export function useCreateQueue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: QueueInput) => api.post<{ id: number }>('/api/admin/queues', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: queuesKey }),
  });
}
