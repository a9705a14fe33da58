import type { ActiveCalls } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { currentCallsKey } from './keys';

/** `GET /api/calls/current`: the viewer's calls in progress, with hold/mute and any consult. */
export function useCurrentCalls(enabled = true) {
  return useQuery({
    queryKey: currentCallsKey,
    queryFn: () => api.get<ActiveCalls>('/api/calls/current'),
    enabled,
  });
}
