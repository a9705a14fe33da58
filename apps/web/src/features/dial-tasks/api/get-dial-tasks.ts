import type { DialTaskListQuery, DialTaskListResponse } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toQueryString } from '../../../lib/query-string';
import { dialTaskKeys } from './keys';

export function useDialTasks(params: DialTaskListQuery) {
  return useQuery({
    queryKey: dialTaskKeys.list(params),
    queryFn: () =>
      api.get<DialTaskListResponse>(
        `/api/dial-tasks${toQueryString(params as Record<string, string | number | undefined>)}`,
      ),
    placeholderData: keepPreviousData,
  });
}
