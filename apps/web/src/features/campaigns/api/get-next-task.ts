import type { CampaignNextResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

/** Preview: the task reserved to the agent (the next due one is reserved on asking). */
export function useNextTask(campaignId: number, enabled: boolean) {
  return useQuery({
    queryKey: campaignKeys.next(campaignId),
    queryFn: async () => (await api.get<CampaignNextResponse>(`/api/campaigns/${campaignId}/next`)).task,
    enabled,
  });
}
