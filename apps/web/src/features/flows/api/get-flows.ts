import type { FlowsResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const flowsKey = ['flows'] as const;

export function useFlows() {
  return useQuery({
    queryKey: flowsKey,
    queryFn: async () => (await api.get<FlowsResponse>('/api/admin/flows')).flows,
  });
}
