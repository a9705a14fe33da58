import type { LoginRequest, MeResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toDeskUser } from '../../../lib/desk-user';
import { meQueryKey } from './get-me';

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginRequest) => api.post<MeResponse>('/api/auth/login', body),
    onSuccess: (res) => {
      qc.clear();
      qc.setQueryData(meQueryKey, toDeskUser(res.user));
    },
  });
}
