import type { CdrSearchParams, CdrSearchResponse } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toQueryString } from '../../../lib/query-string';

/** Statistics → CDR search: one page plus the totals of every match. */
export function useCdrSearch(params: CdrSearchParams) {
  return useQuery({
    queryKey: ['cdr', 'search', params],
    queryFn: () => api.get<CdrSearchResponse>(`/api/cdr${toQueryString(params)}`),
    placeholderData: keepPreviousData,
  });
}

/** The same search as a CSV download (streamed by the server). */
export function cdrExportUrl(params: CdrSearchParams): string {
  const { page: _page, pageSize: _size, ...filters } = params;
  return `/api/cdr/export.csv${toQueryString(filters)}`;
}
