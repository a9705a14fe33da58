import type { DispositionSettings } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const dispositionsKey = ['admin', 'dispositions'] as const;

/** `GET /api/admin/dispositions`: every disposition code, and which queues require one. */
export function useDispositions() {
  return useQuery({
    queryKey: dispositionsKey,
    queryFn: () => api.get<DispositionSettings>('/api/admin/dispositions'),
  });
}
