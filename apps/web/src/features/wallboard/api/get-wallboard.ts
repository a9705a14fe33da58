import type { Wallboard } from '@switchboard/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';

export const wallboardKey = ['wallboard'] as const;

/** The wallboard: fetched once, then replaced by each `wallboard` live event (no polling). */
export function useWallboard() {
  const qc = useQueryClient();
  useLiveEvent('wallboard', (e) => qc.setQueryData(wallboardKey, e.wallboard));
  return useQuery({
    queryKey: wallboardKey,
    queryFn: () => api.get<Wallboard>('/api/wallboard'),
  });
}
