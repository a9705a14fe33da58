import type { CampaignListResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

/** Every campaign (supervisors), or the ones the agent may work, with their live figures. */
export function useCampaigns() {
  return useQuery({
    queryKey: campaignKeys.list(),
    queryFn: async () => (await api.get<CampaignListResponse>('/api/campaigns')).campaigns,
  });
}
