import type { FlowLiveResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const flowLiveKey = (id: number) => ['flows', id, 'live'] as const;

/** Calls in each component now and exits taken today; refreshed by the flow's live steps. */
export function useFlowLive(id: number) {
  return useQuery({
    queryKey: flowLiveKey(id),
    queryFn: () => api.get<FlowLiveResponse>(`/api/admin/flows/${id}/live`),
    refetchInterval: 30_000,
  });
}
