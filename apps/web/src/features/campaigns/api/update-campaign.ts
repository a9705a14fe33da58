import type { CampaignResponse, CampaignUpdateRequest } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

export function useUpdateCampaign() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: CampaignUpdateRequest }) =>
      api.patch<CampaignResponse>(`/api/campaigns/${id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
