import type { Webhook, WebhookInput } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { integrationKeys } from './keys';

/** Creates a webhook, or changes one when `id` is given. */
export function useSaveWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: WebhookInput & { id?: number }) =>
      id === undefined
        ? api.post<{ webhook: Webhook }>('/api/admin/webhooks', body)
        : api.patch<{ webhook: Webhook }>(`/api/admin/webhooks/${id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationKeys.webhooks }),
  });
}
