import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callbackServicesKey } from './get-callback-services';

export function useDeleteCallbackService() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/admin/callback-services/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: callbackServicesKey }),
  });
}
