import type { DialTaskHistoryResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialTaskKeys } from './keys';

export function useDialTaskHistory(id: number | null) {
  return useQuery({
    queryKey: dialTaskKeys.history(id ?? 0),
    queryFn: () => api.get<DialTaskHistoryResponse>(`/api/dial-tasks/${id}/history`),
    enabled: id !== null,
  });
}
