import type { CallbackPlanCreateRequest, CallbackPlanResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callbackPlanKeys } from './keys';

export function useCreateCallbackPlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CallbackPlanCreateRequest) =>
      api.post<CallbackPlanResponse>('/api/callback-plans', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: callbackPlanKeys.all }),
  });
}
