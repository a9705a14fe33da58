import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { customerKeys } from './keys';

export function useDeleteCustomer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/api/customers/${id}`),
    onSuccess: (_data, id) => {
      qc.removeQueries({ queryKey: customerKeys.detail(id) });
      return qc.invalidateQueries({ queryKey: customerKeys.list({}).slice(0, 2) });
    },
  });
}
