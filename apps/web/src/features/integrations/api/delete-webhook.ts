import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { integrationKeys } from './keys';

export function useDeleteWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/api/admin/webhooks/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationKeys.webhooks }),
  });
}
