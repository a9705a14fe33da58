import type { CampaignResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

/** The agent joins (`true`) or leaves a campaign. */
export function useSetCampaignMembership() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, join }: { id: number; join: boolean }) =>
      join
        ? api.put<CampaignResponse>(`/api/campaigns/${id}/agents/me`)
        : api.delete<CampaignResponse>(`/api/campaigns/${id}/agents/me`),
    onSuccess: () => qc.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
