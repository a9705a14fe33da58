import type { DialTaskCreateRequest, DialTaskResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialTaskKeys } from './keys';

export function useCreateDialTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DialTaskCreateRequest) => api.post<DialTaskResponse>('/api/dial-tasks', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: dialTaskKeys.all }),
  });
}
