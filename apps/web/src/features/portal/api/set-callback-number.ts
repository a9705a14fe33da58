import type { CallbackNumberResponse, PhoneNumberParts } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callbackNumberKey } from './web-callback-keys';

/** Registers the call-back number, or replaces it. */
export function useSetCallbackNumber() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (parts: PhoneNumberParts) =>
      api.put<CallbackNumberResponse>('/api/portal/callback-number', parts),
    onSuccess: (res) => qc.setQueryData(callbackNumberKey, res.callbackNumber),
  });
}
