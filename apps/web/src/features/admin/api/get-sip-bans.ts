import type { SipBansResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const sipBansKey = ['admin', 'sip-bans'] as const;
export function useSipBans() {
  return useQuery({
    queryKey: sipBansKey,
    queryFn: () => api.get<SipBansResponse>('/api/admin/sip-bans'),
    // Bans come and go on their own (floods, expiry): keep the list fresh while the page is open.
    refetchInterval: 10_000,
  });
}
