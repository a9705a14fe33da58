import type { CallbackPlanResponse, CallbackPlanUpdateRequest } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callbackPlanKeys } from './keys';

export function useUpdateCallbackPlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: CallbackPlanUpdateRequest & { id: number }) =>
      api.patch<CallbackPlanResponse>(`/api/callback-plans/${id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: callbackPlanKeys.all }),
  });
}
