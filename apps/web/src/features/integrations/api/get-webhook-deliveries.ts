import type { WebhookDelivery } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { integrationKeys } from './keys';

/** The newest deliveries of one webhook, refreshed while the log is open (retries happen meanwhile). */
export function useWebhookDeliveries(id: number | null) {
  return useQuery({
    queryKey: integrationKeys.deliveries(id ?? 0),
    enabled: id !== null,
    refetchInterval: 5000,
    queryFn: async () =>
      (await api.get<{ deliveries: WebhookDelivery[] }>(`/api/admin/webhooks/${id}/deliveries`)).deliveries,
  });
}
