import type { QueueSummary } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

/** `GET /api/queues`: the viewer's queues (an agent's own, every queue for a supervisor). */
export function useDeskQueues() {
  return useQuery({
    queryKey: [...liveQueryKeys.queues, 'desk'],
    queryFn: async () => (await api.get<{ since: number; queues: QueueSummary[] }>('/api/queues')).queues,
  });
}
