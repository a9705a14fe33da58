import type { CallbackPlanResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callbackPlanKeys } from './keys';

/** Every dial of an auto-dialled plan, oldest first. */
export function usePlanAttempts(id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...callbackPlanKeys.all, 'attempts', id],
    queryFn: async () =>
      (await api.get<CallbackPlanResponse>(`/api/callback-plans/${id}`)).plan.attempts ?? [],
    enabled,
  });
}
