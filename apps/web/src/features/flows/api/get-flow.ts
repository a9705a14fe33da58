import type { FlowResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const flowKey = (id: number) => ['flows', id] as const;

export function useFlow(id: number) {
  return useQuery({
    queryKey: flowKey(id),
    queryFn: async () => (await api.get<FlowResponse>(`/api/admin/flows/${id}`)).flow,
  });
}
