import type { AdminUser } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { integrationKeys } from './keys';

/** The users a token may act as: every active one. */
export function useTokenUsers() {
  return useQuery({
    queryKey: integrationKeys.users,
    queryFn: async () =>
      (await api.get<{ users: AdminUser[] }>('/api/admin/users')).users.filter((u) => !u.disabled),
  });
}
