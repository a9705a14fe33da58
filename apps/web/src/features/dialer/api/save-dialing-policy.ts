import type { CallbackDialingPolicyUpdate, DialingPolicyResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialerKeys } from './keys';

export function useSaveDialingPolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (policy: CallbackDialingPolicyUpdate) =>
      api.put<DialingPolicyResponse>('/api/dialer/policy', policy),
    onSuccess: (saved) => qc.setQueryData(dialerKeys.policy, saved),
  });
}
