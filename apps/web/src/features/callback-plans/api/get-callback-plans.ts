import type { CallbackPlanListQuery, CallbackPlanListResponse } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toQueryString } from '../../../lib/query-string';
import { callbackPlanKeys } from './keys';

export function useCallbackPlans(params: CallbackPlanListQuery) {
  return useQuery({
    queryKey: callbackPlanKeys.list(params),
    queryFn: () =>
      api.get<CallbackPlanListResponse>(
        `/api/callback-plans${toQueryString(params as Record<string, string | number | undefined>)}`,
      ),
    placeholderData: keepPreviousData,
    // a plan turns due on the server; keep the list current without a reload
    refetchInterval: 30_000,
  });
}
