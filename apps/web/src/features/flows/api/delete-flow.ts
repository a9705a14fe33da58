import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { flowsKey } from './get-flows';

export function useDeleteFlow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/admin/flows/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: flowsKey }),
  });
}
