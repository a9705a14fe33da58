import type { WebCallbacksResponse } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { webCallbacksKey } from './web-callback-keys';

/** The subscriber's web callbacks, newest first (one in progress shows its live state). */
export function useWebCallbacks(page: number) {
  return useQuery({
    queryKey: [...webCallbacksKey, 'page', page],
    queryFn: () => api.get<WebCallbacksResponse>(`/api/portal/web-callbacks?page=${page}&pageSize=10`),
    placeholderData: keepPreviousData,
  });
}
