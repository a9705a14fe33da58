import type { MeResponse, UpdateMyProfileInput } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toDeskUser } from '../../../lib/desk-user';
import { meQueryKey } from './get-me';

/** Changes the signed-in user's own profile (their time zone); every page re-renders its dates. */
export function useUpdateProfile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateMyProfileInput) => api.patch<MeResponse>('/api/auth/me', body),
    onSuccess: (res) => {
      qc.setQueryData(meQueryKey, toDeskUser(res.user));
      // Date-range queries (rates by day, filters) depend on the zone.
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== meQueryKey[0] });
    },
  });
}
