import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface AgentRow {
  id: number;
  username: string;
  agentId: string | null;
  displayName: string;
  role: 'agent' | 'supervisor';
  extension: { number: string; type: 'web' | 'sip' } | null;
  state: { status: string; reason: string | null; since: number | null };
}

export function useAgents() {
  return useQuery({
    queryKey: ['supervisor', 'agents'],
    queryFn: async () => (await api.get<{ agents: AgentRow[] }>('/api/agents')).agents,
    refetchInterval: 10_000,
  });
}
