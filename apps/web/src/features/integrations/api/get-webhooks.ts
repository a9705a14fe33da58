import type { Webhook } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { integrationKeys } from './keys';

export function useWebhooks() {
  return useQuery({
    queryKey: integrationKeys.webhooks,
    queryFn: async () => (await api.get<{ webhooks: Webhook[] }>('/api/admin/webhooks')).webhooks,
  });
}
