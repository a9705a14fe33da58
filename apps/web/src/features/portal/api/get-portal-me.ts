import type { PortalMeResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, api } from '../../../lib/api-client';

export const portalMeQueryKey = ['portal', 'me'] as const;

export function usePortalSubscriber() {
  return useQuery({
    queryKey: portalMeQueryKey,
    queryFn: async () => {
      try {
        return (await api.get<PortalMeResponse>('/api/portal/auth/me')).subscriber;
      } catch (err) {
        if (err instanceof ApiRequestError && err.status === 401) return null;
        throw err;
      }
    },
    retry: false,
  });
}
