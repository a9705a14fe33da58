import type { ApiToken } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { integrationKeys } from './keys';

export function useApiTokens() {
  return useQuery({
    queryKey: integrationKeys.apiTokens,
    queryFn: async () => (await api.get<{ tokens: ApiToken[] }>('/api/admin/api-tokens')).tokens,
  });
}
