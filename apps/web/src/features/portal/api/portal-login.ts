import type { PortalLoginRequest, PortalMeResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { portalMeQueryKey } from './get-portal-me';

export function usePortalLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PortalLoginRequest) => api.post<PortalMeResponse>('/api/portal/auth/login', body),
    onSuccess: (res) => qc.setQueryData(portalMeQueryKey, res.subscriber),
  });
}

export function usePortalLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/portal/auth/logout'),
    onSettled: () => qc.setQueryData(portalMeQueryKey, null),
  });
}
