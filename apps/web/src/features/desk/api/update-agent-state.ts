import type { AgentState, AgentStateUpdate } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { myAgentStateKey } from './get-agent-state';

/** `PUT /api/agents/me/state`: go Idle or Paused (with a reason) in all or some queues. */
export function useUpdateAgentState() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AgentStateUpdate) => api.put<AgentState>('/api/agents/me/state', body),
    onSuccess: (state) => qc.setQueryData(myAgentStateKey, state),
  });
}
