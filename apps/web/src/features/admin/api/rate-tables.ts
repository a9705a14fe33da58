import type {
  Plan,
  PlanInput,
  Rate,
  RateImportResponse,
  RateInput,
  RatesResponse,
  RateTable,
  RateTableInput,
} from '@switchboard/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toQueryString } from '../../../lib/query-string';
import { plansKey } from './subscribers';

/** Rate tables, their rates and plans. */
export const rateTablesKey = ['admin', 'rate-tables'] as const;

export function useRateTables() {
  return useQuery({
    queryKey: rateTablesKey,
    queryFn: async () => (await api.get<{ rateTables: RateTable[] }>('/api/admin/rate-tables')).rateTables,
  });
}

export function useRates(tableId: number, params: { prefix: string; page: number }) {
  return useQuery({
    queryKey: [...rateTablesKey, tableId, 'rates', params],
    queryFn: () =>
      api.get<RatesResponse>(
        `/api/admin/rate-tables/${tableId}/rates${toQueryString({ prefix: params.prefix, page: params.page, pageSize: 50 })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useCreateRateTable() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RateTableInput) => api.post<{ rateTable: RateTable }>('/api/admin/rate-tables', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: rateTablesKey }),
  });
}

export function useDeleteRateTable() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/admin/rate-tables/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: rateTablesKey }),
  });
}

export function useSaveRate(tableId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: RateInput & { id?: number }) =>
      id
        ? api.put<{ rate: Rate }>(`/api/admin/rate-tables/${tableId}/rates/${id}`, body)
        : api.post<{ rate: Rate }>(`/api/admin/rate-tables/${tableId}/rates`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: rateTablesKey }),
  });
}

export function useDeleteRate(tableId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/admin/rate-tables/${tableId}/rates/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: rateTablesKey }),
  });
}

export function useImportRates(tableId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { csv: string; mode: 'replace' | 'add' }) =>
      api.post<RateImportResponse>(`/api/admin/rate-tables/${tableId}/import`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: rateTablesKey }),
  });
}

export function useSavePlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: PlanInput & { id?: number }) =>
      id
        ? api.put<{ plan: Plan }>(`/api/admin/plans/${id}`, body)
        : api.post<{ plan: Plan }>('/api/admin/plans', body),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: plansKey });
      qc.invalidateQueries({ queryKey: rateTablesKey });
    },
  });
}
