import type { Trunk } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Trunks for the "call back through" choice. */
export function useTrunkChoices() {
  return useQuery({
    queryKey: ['admin', 'trunks'],
    queryFn: async () => (await api.get<{ trunks: Trunk[] }>('/api/admin/trunks')).trunks,
  });
}
