import type { CampaignTaskListQuery, CampaignTaskListResponse } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toQueryString } from '../../../lib/query-string';
import { campaignKeys } from './keys';

export function useCampaignTasks(id: number, params: CampaignTaskListQuery) {
  return useQuery({
    queryKey: campaignKeys.tasks(id, params),
    queryFn: () =>
      api.get<CampaignTaskListResponse>(
        `/api/campaigns/${id}/tasks${toQueryString(params as Record<string, string | number | undefined>)}`,
      ),
    placeholderData: keepPreviousData,
  });
}
