import { useQuery } from '@tanstack/react-query';
import { api } from './api-client';

export interface AgentSummary {
  id: number;
  username: string;
  agentId: string | null;
  displayName: string;
  role: 'agent' | 'supervisor' | 'admin';
}

/** Agents and supervisors who can be assigned work (supervisors only: `GET /api/agents`). */
export function useAgents(enabled = true) {
  return useQuery({
    queryKey: ['agents', 'summary'],
    queryFn: async () => (await api.get<{ agents: AgentSummary[] }>('/api/agents')).agents,
    enabled,
    staleTime: 60_000,
  });
}
