import type { CustomerDetailResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, api } from '../../../lib/api-client';
import { customerKeys } from './keys';

export function useCustomer(id: number) {
  return useQuery({
    queryKey: customerKeys.detail(id),
    queryFn: () => api.get<CustomerDetailResponse>(`/api/customers/${id}`),
    retry: (count, err) => !(err instanceof ApiRequestError && err.status < 500) && count < 2,
  });
}
