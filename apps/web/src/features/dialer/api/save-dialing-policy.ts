import type { CallbackDialingPolicy, CallbackDialingPolicyUpdate } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialerKeys } from './keys';

export function useSaveDialingPolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (policy: CallbackDialingPolicyUpdate) =>
      (await api.put<{ policy: CallbackDialingPolicy }>('/api/dialer/policy', policy)).policy,
    onSuccess: (policy) => qc.setQueryData(dialerKeys.policy, policy),
  });
}
