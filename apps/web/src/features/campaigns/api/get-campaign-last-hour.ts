import type { CampaignLastHour } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

/** The campaign's dials in the last hour (five-minute buckets); refreshed by its live figures. */
export function useCampaignLastHour(id: number) {
  return useQuery({
    queryKey: campaignKeys.lastHour(id),
    queryFn: () => api.get<CampaignLastHour>(`/api/campaigns/${id}/last-hour`),
    // The hour moves on even when nothing is dialled: a new bucket every five minutes.
    refetchInterval: 60_000,
  });
}
