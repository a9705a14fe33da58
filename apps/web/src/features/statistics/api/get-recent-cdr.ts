import type { RecentCdrResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The agent's own last 20 calls. */
export function useRecentCdr() {
  return useQuery({
    queryKey: ['cdr', 'recent'],
    queryFn: () => api.get<RecentCdrResponse>('/api/cdr/recent'),
  });
}
