import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The queues the viewer may report on: a supervisor's own, every queue for administrators. */
export function useReportQueues() {
  return useQuery({
    queryKey: ['reports', 'queues'],
    queryFn: async () =>
      (await api.get<{ queues: { id: number; name: string }[] }>('/api/reports/queues')).queues,
    staleTime: 5 * 60_000,
  });
}
