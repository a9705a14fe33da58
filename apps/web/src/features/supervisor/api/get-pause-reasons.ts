import type { AgentState } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The pause reasons a supervisor can choose from when pausing an agent. */
export function usePauseReasons() {
  return useQuery({
    queryKey: ['supervisor', 'pause-reasons'],
    queryFn: async () => (await api.get<AgentState>('/api/agents/me/state')).pauseReasons,
    staleTime: 60_000,
  });
}
