import type { CallbackBreakerStatus } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

/**
 * The circuit breaker over all callback services. A trip or a close arrives as a live event; the
 * figures also move as the hour slides, so the page re-reads them every half minute.
 */
export function useCallbackBreaker() {
  return useQuery({
    queryKey: liveQueryKeys.callbackBreaker,
    refetchInterval: 30_000,
    queryFn: () => api.get<CallbackBreakerStatus>('/api/admin/callback-services/breaker'),
  });
}
