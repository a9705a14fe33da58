import type { CreateUserInput } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { usersKey } from './get-users';

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserInput) => api.post<{ id: number }>('/api/admin/users', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersKey }),
  });
}
