import type { DialTaskListResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Pending dial tasks a supervisor may add to a campaign (the first 100 by start date). */
export function usePendingDialTasks(enabled: boolean) {
  return useQuery({
    queryKey: ['dial-tasks', 'campaign-choices'],
    queryFn: async () =>
      (await api.get<DialTaskListResponse>('/api/dial-tasks?result=pending&limit=100')).tasks,
    enabled,
  });
}
