import type { CallbackService, CallbackServiceInput } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callbackServicesKey } from './get-callback-services';

export function useSaveCallbackService() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: Partial<CallbackServiceInput> & { id?: number }) =>
      id
        ? api.put<CallbackService>(`/api/admin/callback-services/${id}`, body)
        : api.post<CallbackService>('/api/admin/callback-services', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: callbackServicesKey }),
  });
}
