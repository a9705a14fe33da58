import type { CustomerResponse, CustomerUpdateRequest } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { customerKeys } from './keys';

export function useUpdateCustomer(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CustomerUpdateRequest) => api.patch<CustomerResponse>(`/api/customers/${id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: customerKeys.all }),
  });
}
