import type { MeResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, api } from '../../../lib/api-client';
import { type DeskUser, toDeskUser } from '../../../lib/desk-user';

export const meQueryKey = ['auth', 'me'] as const;

/** The signed-in desk user, or null when there is no session. */
export function useCurrentUser() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async (): Promise<DeskUser | null> => {
      try {
        return toDeskUser((await api.get<MeResponse>('/api/auth/me')).user);
      } catch (err) {
        if (err instanceof ApiRequestError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}
