import type { AgentState } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

export const myAgentStateKey = [...liveQueryKeys.agentState, 'me'] as const;

/** `GET /api/agents/me/state`: Idle / Paused per queue, with the pause reasons to pick from. */
export function useMyAgentState() {
  return useQuery({
    queryKey: myAgentStateKey,
    queryFn: () => api.get<AgentState>('/api/agents/me/state'),
  });
}
