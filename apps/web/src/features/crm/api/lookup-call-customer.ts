import type { CustomerLookupResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, api } from '../../../lib/api-client';
import { customerKeys } from './keys';

/**
 * `GET /api/customers/lookup?callId=`: the caller of a call (the switch's call id) and the customers
 * with that number. Under `customerKeys.all`, so saving a customer refreshes it.
 */
export function useCallCustomerLookup(callId: string | null) {
  return useQuery({
    queryKey: [...customerKeys.all, 'lookup-call', callId],
    enabled: callId !== null,
    queryFn: () =>
      api.get<CustomerLookupResponse>(`/api/customers/lookup?callId=${encodeURIComponent(callId ?? '')}`),
    retry: (count, err) => !(err instanceof ApiRequestError && err.status < 500) && count < 2,
  });
}
