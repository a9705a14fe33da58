import type { CampaignResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

/** Start (or resume) or pause a campaign. */
export function useSetCampaignState() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: 'start' | 'pause' }) =>
      api.post<CampaignResponse>(`/api/campaigns/${id}/${action}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
