import type { CallbackService } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const callbackServicesKey = ['admin', 'callback-services'] as const;

export function useCallbackServices() {
  return useQuery({
    queryKey: callbackServicesKey,
    queryFn: async () =>
      (await api.get<{ callbackServices: CallbackService[] }>('/api/admin/callback-services'))
        .callbackServices,
  });
}
