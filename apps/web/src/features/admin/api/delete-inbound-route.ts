import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { inboundRoutesKey } from './get-inbound-routes';

export function useDeleteInboundRoute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/admin/inbound-routes/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: inboundRoutesKey }),
  });
}
