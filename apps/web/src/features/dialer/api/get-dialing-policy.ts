import type { DialingPolicyResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialerKeys } from './keys';

/** `GET /api/dialer/policy`: how auto-dialled calls are placed, and the caps in force on this node. */
export function useDialingPolicy() {
  return useQuery({
    queryKey: dialerKeys.policy,
    queryFn: () => api.get<DialingPolicyResponse>('/api/dialer/policy'),
  });
}
