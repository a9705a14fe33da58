import type { ApiTokenCreated, ApiTokenCreateRequest } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { integrationKeys } from './keys';

export function useCreateApiToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiTokenCreateRequest) => api.post<ApiTokenCreated>('/api/admin/api-tokens', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationKeys.apiTokens }),
  });
}
