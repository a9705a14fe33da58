import type { CampaignCreateRequest, CampaignResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

export function useCreateCampaign() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CampaignCreateRequest) => api.post<CampaignResponse>('/api/campaigns', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
