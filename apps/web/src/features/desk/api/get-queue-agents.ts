import type { AgentState, AgentStatus } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

export interface QueueAgent {
  userId: number;
  displayName: string;
  status: AgentStatus;
  /** Paused in this queue (with the reason), even when idle in others. */
  pausedHere: string | null;
  /** Idle and not paused here: the server would ring them now. */
  available: boolean;
}

interface DirectoryAgent {
  id: number;
  displayName: string;
  role: 'agent' | 'supervisor';
}

/**
 * The members of a queue with their state, for a supervisor's "Send to agent". The server has no
 * per-queue member list for supervisors, so this reads each agent's state (teams are small) and
 * keeps those in the queue.
 */
export function useQueueAgents(queueId: number, enabled: boolean) {
  return useQuery({
    queryKey: [...liveQueryKeys.agentState, 'queue-members', queueId],
    enabled,
    queryFn: async (): Promise<QueueAgent[]> => {
      const { agents } = await api.get<{ agents: DirectoryAgent[] }>('/api/agents');
      const states = await Promise.all(
        agents.map(async (a) => ({ a, s: await api.get<AgentState>(`/api/agents/${a.id}/state`) })),
      );
      return states.flatMap(({ a, s }) => {
        const membership = s.queues.find((q) => q.queueId === queueId);
        if (!membership) return [];
        const pausedHere = membership.paused ? (membership.reason ?? 'Paused') : null;
        return [
          {
            userId: a.id,
            displayName: a.displayName,
            status: s.status,
            pausedHere,
            available: s.status === 'idle' && pausedHere === null,
          },
        ];
      });
    },
  });
}
