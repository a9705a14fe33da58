import type { CallbackDialingPolicy } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialerKeys } from './keys';

/** `GET /api/dialer/policy`: how auto-dialled callbacks are placed. */
export function useDialingPolicy() {
  return useQuery({
    queryKey: dialerKeys.policy,
    queryFn: async () => (await api.get<{ policy: CallbackDialingPolicy }>('/api/dialer/policy')).policy,
  });
}
