import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { integrationKeys } from './keys';

export function usePingWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<{ queued: boolean }>(`/api/admin/webhooks/${id}/ping`),
    onSuccess: (_r, id) => qc.invalidateQueries({ queryKey: integrationKeys.deliveries(id) }),
  });
}
