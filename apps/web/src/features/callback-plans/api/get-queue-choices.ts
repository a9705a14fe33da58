import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The queues this user may send a customer-first callback to (their own; all for supervisors). */
export function useQueueChoices() {
  return useQuery({
    queryKey: ['callback-plans', 'queue-choices'],
    queryFn: async () =>
      (await api.get<{ queues: Array<{ id: number; name: string }> }>('/api/queues')).queues,
    staleTime: 60_000,
  });
}
