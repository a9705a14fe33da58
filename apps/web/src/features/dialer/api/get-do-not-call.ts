import type { DoNotCallListResponse } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialerKeys } from './keys';

/** `GET /api/do-not-call?search=&page=`: the listed numbers, 50 a page. */
export function useDoNotCallList(search: string, page: number) {
  return useQuery({
    queryKey: [...dialerKeys.doNotCall, search, page],
    queryFn: () =>
      api.get<DoNotCallListResponse>(
        `/api/do-not-call?search=${encodeURIComponent(search)}&page=${page}&limit=50`,
      ),
    placeholderData: keepPreviousData,
  });
}
