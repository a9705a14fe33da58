import type { AdminUser } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const usersKey = ['admin', 'users'] as const;
export function useAdminUsers() {
  return useQuery({
    queryKey: usersKey,
    queryFn: async () => (await api.get<{ users: AdminUser[] }>('/api/admin/users')).users,
  });
}
