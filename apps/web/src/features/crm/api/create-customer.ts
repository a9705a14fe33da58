import type { CustomerCreateRequest, CustomerResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { customerKeys } from './keys';

export function useCreateCustomer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CustomerCreateRequest) => api.post<CustomerResponse>('/api/customers', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: customerKeys.all }),
  });
}
