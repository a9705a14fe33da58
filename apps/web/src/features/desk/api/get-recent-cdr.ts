import type { RecentCdrResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

/** The agent's own last 20 calls (refreshed when a call ends, via the live stream). */
export function useRecentCdr() {
  return useQuery({
    queryKey: [...liveQueryKeys.cdr, 'recent'],
    queryFn: () => api.get<RecentCdrResponse>('/api/cdr/recent'),
  });
}
