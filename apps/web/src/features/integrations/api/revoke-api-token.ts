import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { integrationKeys } from './keys';

export function useRevokeApiToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/api/admin/api-tokens/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationKeys.apiTokens }),
  });
}
