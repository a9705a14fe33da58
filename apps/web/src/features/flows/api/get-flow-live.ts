import type { FlowLiveResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const flowLiveKey = (id: number) => ['flows', id, 'live'] as const;

/**
 * Calls in each component now, and the calls that entered each component and left by each exit
 * today for `version` (a published version, `draft` for test calls, the published one when
 * undefined); refreshed by the flow's live steps.
 */
export function useFlowLive(id: number, version?: number | 'draft') {
  return useQuery({
    queryKey: [...flowLiveKey(id), version ?? 'published'],
    queryFn: () =>
      api.get<FlowLiveResponse>(
        `/api/admin/flows/${id}/live${version === undefined ? '' : `?version=${version}`}`,
      ),
    refetchInterval: 30_000,
  });
}
