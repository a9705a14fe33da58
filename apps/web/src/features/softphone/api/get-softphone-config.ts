import type { SoftphoneConfig } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const softphoneConfigKey = ['softphone', 'config'] as const;

/** How this agent's softphone registers (web) or which desk phone is theirs (sip). */
export function useSoftphoneConfig(enabled: boolean) {
  return useQuery({
    queryKey: softphoneConfigKey,
    queryFn: () => api.get<SoftphoneConfig>('/api/softphone/config'),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    retry: 2,
  });
}
