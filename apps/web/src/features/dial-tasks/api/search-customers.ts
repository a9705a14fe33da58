import type { CustomerListResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toQueryString } from '../../../lib/query-string';

/** Customers matching a name or number fragment, for choosing a task's customer. */
export function useCustomerSearch(q: string) {
  return useQuery({
    queryKey: ['customers', 'list', { q, sort: 'name', page: 1, limit: 6 }],
    queryFn: () => api.get<CustomerListResponse>(`/api/customers${toQueryString({ q, limit: 6 })}`),
    enabled: q.trim().length >= 2,
  });
}
