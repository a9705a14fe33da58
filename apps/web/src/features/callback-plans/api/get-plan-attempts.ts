import type { CallbackPlanResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callbackPlanKeys } from './keys';

function planQuery(id: number) {
  return {
    queryKey: [...callbackPlanKeys.all, 'one', id],
    queryFn: async () => (await api.get<CallbackPlanResponse>(`/api/callback-plans/${id}`)).plan,
  };
}

/** Every dial of an auto-dialled plan, oldest first. */
export function usePlanAttempts(id: number, enabled: boolean) {
  return useQuery({
    ...planQuery(id),
    select: (plan) => plan.attempts ?? [],
    enabled,
  });
}

/** One plan with its note (the customer window of a callback the dialer rings the owner for). */
export function useCallbackPlanDetail(id: number | null) {
  return useQuery({ ...planQuery(id ?? 0), enabled: id !== null });
}
