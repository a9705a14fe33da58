import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The queues whose members may work a campaign. */
export function useCampaignQueueChoices() {
  return useQuery({
    queryKey: ['campaigns', 'queue-choices'],
    queryFn: async () =>
      (await api.get<{ queues: Array<{ id: number; name: string }> }>('/api/queues')).queues,
    staleTime: 60_000,
  });
}
