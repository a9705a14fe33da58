import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Queues a Queue component can send callers to. */
export function useQueueChoices() {
  return useQuery({
    queryKey: ['flows', 'queues'],
    queryFn: async () =>
      (await api.get<{ queues: Array<{ id: number; name: string }> }>('/api/queues')).queues,
  });
}
