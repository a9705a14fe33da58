import type { AgentStateUpdate } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** A supervisor sets an agent ready or paused (with a reason) in all their queues. */
export function useForceAgentState() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { userId: number; update: AgentStateUpdate }) =>
      api.put(`/api/agents/${v.userId}/state`, v.update),
    onSettled: () => qc.invalidateQueries({ queryKey: ['supervisor', 'agents'] }),
  });
}

/** A supervisor signs an agent out of every queue (Offline). */
export function useSignOutAgent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: number) => api.post(`/api/agents/${userId}/sign-out`),
    onSettled: () => qc.invalidateQueries({ queryKey: ['supervisor', 'agents'] }),
  });
}
