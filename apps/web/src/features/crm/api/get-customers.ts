import type { CustomerListResponse, CustomerSort } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toQueryString } from '../../../lib/query-string';
import { customerKeys } from './keys';

export interface CustomerListParams {
  q: string;
  sort: CustomerSort;
  page: number;
  limit: number;
}

export function useCustomers(params: CustomerListParams) {
  return useQuery({
    queryKey: customerKeys.list(params),
    queryFn: () => api.get<CustomerListResponse>(`/api/customers${toQueryString({ ...params })}`),
    placeholderData: keepPreviousData,
  });
}
