import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { trunksKey } from './get-trunks';

export function useDeleteTrunk() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/admin/trunks/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: trunksKey }),
  });
}
