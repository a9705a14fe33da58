import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface AdminQueue {
  id: number;
  name: string;
  strategy: string;
  ringTimeoutS: number;
  wrapupS: number;
  maxWaitS: number;
  members: {
    userId: number;
    displayName: string;
    username: string;
    role: string;
    penalty: number;
    paused: boolean;
  }[];
}
export const queuesKey = ['admin', 'queues'] as const;
export function useAdminQueues() {
  return useQuery({
    queryKey: queuesKey,
    queryFn: async () => (await api.get<{ queues: AdminQueue[] }>('/api/admin/queues')).queues,
  });
}
