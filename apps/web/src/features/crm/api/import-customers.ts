import type { CustomerImportRequest } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { customerKeys } from './keys';

export function useImportCustomers() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CustomerImportRequest) => api.post<{ created: number }>('/api/customers/import', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: customerKeys.all }),
  });
}
