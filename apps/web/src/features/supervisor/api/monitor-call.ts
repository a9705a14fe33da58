import type { MonitorMode, MonitorSession } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { monitorableCallsKey } from './get-monitorable-calls';

/**
 * Starts monitoring (the supervisor's own phone rings) or, when already monitoring, changes the mode
 * on the same call leg; `mode: null` leaves.
 */
export function useMonitorCall() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { callId: string; mode: MonitorMode | null; active: boolean }) => {
      const path = `/api/calls/${v.callId}/monitor`;
      if (v.mode === null) return api.delete<{ ok: true }>(path);
      return v.active
        ? api.patch<MonitorSession>(path, { mode: v.mode })
        : api.post<MonitorSession>(path, { mode: v.mode });
    },
    onSettled: () => qc.invalidateQueries({ queryKey: monitorableCallsKey }),
  });
}
