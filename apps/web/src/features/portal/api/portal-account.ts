import type {
  CallerIdsResponse,
  ChangePasswordInput,
  ChangePinInput,
  LedgerResponse,
  PortalAccountResponse,
  PortalCallsResponse,
} from '@switchboard/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The subscriber's own account: balance, ledger, caller IDs, PIN, calls with cost. */
export const portalAccountKey = ['portal', 'account'] as const;

export function usePortalAccount() {
  return useQuery({
    queryKey: portalAccountKey,
    queryFn: async () => (await api.get<PortalAccountResponse>('/api/portal/me')).subscriber,
  });
}

export function usePortalLedger(page: number) {
  return useQuery({
    queryKey: [...portalAccountKey, 'ledger', page],
    queryFn: () => api.get<LedgerResponse>(`/api/portal/ledger?page=${page}&pageSize=20`),
    placeholderData: keepPreviousData,
  });
}

export function usePortalCalls(page: number) {
  return useQuery({
    queryKey: [...portalAccountKey, 'calls', page],
    queryFn: () => api.get<PortalCallsResponse>(`/api/portal/calls?page=${page}&pageSize=20`),
    placeholderData: keepPreviousData,
  });
}

const callerIdsKey = [...portalAccountKey, 'caller-ids'] as const;

export function usePortalCallerIds() {
  return useQuery({
    queryKey: callerIdsKey,
    queryFn: async () => (await api.get<CallerIdsResponse>('/api/portal/caller-ids')).callerIds,
  });
}

export function useAddCallerId() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (number: string) => api.post('/api/portal/caller-ids', { number }),
    onSuccess: () => qc.invalidateQueries({ queryKey: callerIdsKey }),
  });
}

export function useRemoveCallerId() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/portal/caller-ids/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: callerIdsKey }),
  });
}

export function useChangePin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePinInput) => api.put('/api/portal/pin', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: portalAccountKey }),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: ChangePasswordInput) => api.put('/api/portal/password', body),
  });
}
