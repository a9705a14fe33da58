import type { WebCallbackSettings } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

const key = ['admin', 'web-callback'] as const;

/** The web-callback service settings. */
export function useWebCallbackSettings() {
  return useQuery({ queryKey: key, queryFn: () => api.get<WebCallbackSettings>('/api/admin/web-callback') });
}

export function useSaveWebCallbackSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: WebCallbackSettings) => api.put<WebCallbackSettings>('/api/admin/web-callback', s),
    onSuccess: (s) => qc.setQueryData(key, s),
  });
}
