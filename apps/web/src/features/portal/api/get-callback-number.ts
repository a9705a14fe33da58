import type { CallbackNumberResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callbackNumberKey } from './web-callback-keys';

/** The registered call-back number (null until the subscriber adds one). */
export function useCallbackNumber() {
  return useQuery({
    queryKey: callbackNumberKey,
    queryFn: async () =>
      (await api.get<CallbackNumberResponse>('/api/portal/callback-number')).callbackNumber,
  });
}
