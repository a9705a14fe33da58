import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export function useCdrQueues() {
  return useQuery({
    queryKey: ['cdr', 'queues'],
    queryFn: async () =>
      (await api.get<{ queues: { id: number; name: string }[] }>('/api/cdr/queues')).queues,
    staleTime: 5 * 60_000,
  });
}
