import type { DispositionSettings } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dispositionsKey } from './get-dispositions';

/** `PUT /api/admin/dispositions/queues/:id`: whether the queue's agents must pick a code at wrap-up. */
export function useSetDispositionRequired() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ queueId, required }: { queueId: number; required: boolean }) =>
      api.put<DispositionSettings>(`/api/admin/dispositions/queues/${queueId}`, { required }),
    onSuccess: (data) => qc.setQueryData(dispositionsKey, data),
  });
}
