import type { CampaignTaskResponse, DialTaskResult } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

/** The agent's result of a campaign task's call. */
export function useSetTaskResult() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      campaignId,
      taskId,
      result,
    }: {
      campaignId: number;
      taskId: number;
      result: DialTaskResult;
    }) => api.post<CampaignTaskResponse>(`/api/campaigns/${campaignId}/tasks/${taskId}/result`, { result }),
    onSuccess: () => qc.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
