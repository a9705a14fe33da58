import type { PortalSmsCallbackResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Where to text the SMS callback commands, which ones, and the latest SMS requests (re-read every 10 s). */
export function usePortalSmsCallback() {
  return useQuery({
    queryKey: ['portal', 'sms-callback'],
    refetchInterval: 10_000,
    queryFn: () => api.get<PortalSmsCallbackResponse>('/api/portal/sms-callback'),
  });
}
