import type { CallbackRequest, CallbackService, CallbackServiceInput, Trunk } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client';

export const callbackServicesKey = ['admin', 'callback-services'] as const;

export function useCallbackServices() {
  return useQuery({
    queryKey: callbackServicesKey,
    queryFn: async () =>
      (await api.get<{ callbackServices: CallbackService[] }>('/api/admin/callback-services'))
        .callbackServices,
  });
}

export function useCallbackRequests(serviceId: number | null) {
  return useQuery({
    queryKey: [...callbackServicesKey, serviceId, 'requests'],
    enabled: serviceId !== null,
    refetchInterval: 5000,
    queryFn: async () =>
      (
        await api.get<{ requests: CallbackRequest[] }>(
          `/api/admin/callback-services/${serviceId}/requests?limit=50`,
        )
      ).requests,
  });
}

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

export function useDeleteCallbackService() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/admin/callback-services/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: callbackServicesKey }),
  });
}

/** Trunks for the "call back through" choice. */
export function useTrunkChoices() {
  return useQuery({
    queryKey: ['admin', 'trunks'],
    queryFn: async () => (await api.get<{ trunks: Trunk[] }>('/api/admin/trunks')).trunks,
  });
}
