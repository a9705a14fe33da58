import type { CampaignTaskResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

/** Preview: dial the task reserved to the agent (their phone rings first). */
export function useCallTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ campaignId, taskId }: { campaignId: number; taskId: number }) =>
      api.post<CampaignTaskResponse>(`/api/campaigns/${campaignId}/tasks/${taskId}/call`),
    onSuccess: () => qc.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
