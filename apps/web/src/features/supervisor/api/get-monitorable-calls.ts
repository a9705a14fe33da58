import type { MonitorableCall } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

export const monitorableCallsKey = [...liveQueryKeys.monitoring, 'calls'] as const;

/** Live calls the supervisor may listen to, whisper on or barge into (refreshed by call and monitor events). */
export function useMonitorableCalls() {
  return useQuery({
    queryKey: monitorableCallsKey,
    queryFn: async () => (await api.get<{ calls: MonitorableCall[] }>('/api/monitoring/calls')).calls,
  });
}
