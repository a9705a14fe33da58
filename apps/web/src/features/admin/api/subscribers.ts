import type {
  AdminSubscriber,
  AdminSubscribersResponse,
  CreateSubscriberInput,
  CreditRequest,
  LedgerResponse,
  Plan,
  UpdateSubscriberInput,
} from '@switchboard/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toQueryString } from '../../../lib/query-string';

/** Prepaid subscribers. */
export const subscribersKey = ['admin', 'subscribers'] as const;

export function useSubscribers(params: { search: string; status: string; page: number }) {
  return useQuery({
    queryKey: [...subscribersKey, 'list', params],
    queryFn: () =>
      api.get<AdminSubscribersResponse>(
        `/api/admin/subscribers${toQueryString({ search: params.search, status: params.status, page: params.page, pageSize: 25 })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useSubscriber(id: number) {
  return useQuery({
    queryKey: [...subscribersKey, id],
    queryFn: async () =>
      (await api.get<{ subscriber: AdminSubscriber }>(`/api/admin/subscribers/${id}`)).subscriber,
  });
}

export function useSubscriberLedger(id: number, page: number) {
  return useQuery({
    queryKey: [...subscribersKey, id, 'ledger', page],
    queryFn: () => api.get<LedgerResponse>(`/api/admin/subscribers/${id}/ledger?page=${page}&pageSize=20`),
    placeholderData: keepPreviousData,
  });
}

export function useCreateSubscriber() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSubscriberInput) => api.post<{ id: number }>('/api/admin/subscribers', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: subscribersKey }),
  });
}

export function useUpdateSubscriber(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateSubscriberInput) => api.patch(`/api/admin/subscribers/${id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: subscribersKey }),
  });
}

export function useCreditSubscriber(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreditRequest) => api.post(`/api/admin/subscribers/${id}/credit`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: subscribersKey }),
  });
}

export function useAddSubscriberCallerId(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (number: string) => api.post(`/api/admin/subscribers/${id}/caller-ids`, { number }),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...subscribersKey, id] }),
  });
}

export function useRemoveSubscriberCallerId(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (callerIdId: number) => api.delete(`/api/admin/subscribers/${id}/caller-ids/${callerIdId}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...subscribersKey, id] }),
  });
}

export const plansKey = ['admin', 'plans'] as const;
export function usePlans() {
  return useQuery({
    queryKey: plansKey,
    queryFn: async () => (await api.get<{ plans: Plan[] }>('/api/admin/plans')).plans,
  });
}
