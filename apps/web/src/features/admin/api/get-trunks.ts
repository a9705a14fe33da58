import type { Trunk } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

export const trunksKey = liveQueryKeys.trunks;
export function useTrunks() {
  return useQuery({
    queryKey: trunksKey,
    queryFn: async () => (await api.get<{ trunks: Trunk[] }>('/api/admin/trunks')).trunks,
  });
}
