import type { CampaignTaskAddResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

export function useAddCampaignTasks() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, taskIds }: { id: number; taskIds: number[] }) =>
      api.post<CampaignTaskAddResponse>(`/api/campaigns/${id}/tasks`, { taskIds }),
    onSuccess: () => qc.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
