import type { CallbackRequest } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callbackServicesKey } from './get-callback-services';

/** A service's latest requests (trigger calls and SMS), refreshed while the page is open. */
export function useCallbackRequests(serviceId: number | null) {
  return useQuery({
    queryKey: [...callbackServicesKey, serviceId, 'requests'],
    enabled: serviceId !== null,
    refetchInterval: 5000,
    queryFn: async () =>
      (
        await api.get<{ requests: CallbackRequest[] }>(
          `/api/admin/callback-services/${serviceId}/requests?limit=50`,
        )
      ).requests,
  });
}
