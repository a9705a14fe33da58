import type { FlowVersionsResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const flowVersionsKey = (id: number) => ['flows', id, 'versions'] as const;

export function useFlowVersions(id: number) {
  return useQuery({
    queryKey: flowVersionsKey(id),
    queryFn: async () => (await api.get<FlowVersionsResponse>(`/api/admin/flows/${id}/versions`)).versions,
  });
}
