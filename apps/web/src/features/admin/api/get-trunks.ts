import type { Trunk } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const trunksKey = ['admin', 'trunks'] as const;
export function useTrunks() {
  return useQuery({
    queryKey: trunksKey,
    queryFn: async () => (await api.get<{ trunks: Trunk[] }>('/api/admin/trunks')).trunks,
  });
}
