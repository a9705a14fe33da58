import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface QueueOverview {
  id: number;
  name: string;
  strategy: string;
  waiting: number;
  members: number;
  pausedMembers: number;
  callsToday: number;
  answeredToday: number;
}

export function useQueueOverview() {
  return useQuery({
    queryKey: ['supervisor', 'queues'],
    queryFn: () => api.get<{ since: number; queues: QueueOverview[] }>('/api/queues'),
    refetchInterval: 10_000,
  });
}
