import type { CallbackPlanResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

/** One callback plan (the reminder dialog shows its customer). */
export function useCallbackPlan(id: number | null) {
  return useQuery({
    queryKey: [...liveQueryKeys.callbackPlans, 'one', id],
    queryFn: async () => (await api.get<CallbackPlanResponse>(`/api/callback-plans/${id}`)).plan,
    enabled: id !== null,
  });
}
