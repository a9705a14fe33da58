import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface PauseReason {
  id: number;
  name: string;
  active: boolean;
  sortOrder: number;
}
export const pauseReasonsKey = ['admin', 'pause-reasons'] as const;
export function usePauseReasons() {
  return useQuery({
    queryKey: pauseReasonsKey,
    queryFn: async () =>
      (await api.get<{ pauseReasons: PauseReason[] }>('/api/admin/pause-reasons')).pauseReasons,
  });
}
