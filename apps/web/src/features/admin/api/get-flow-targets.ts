import type { FlowsResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Call flows a number can be routed to (published ones are offered). */
export function useFlowTargets() {
  return useQuery({
    queryKey: ['admin', 'flows'],
    queryFn: async () => (await api.get<FlowsResponse>('/api/admin/flows')).flows,
  });
}
