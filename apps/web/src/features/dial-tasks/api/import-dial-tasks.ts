import type { DialTaskImportRequest, DialTaskImportResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialTaskKeys } from './keys';

export function useImportDialTasks() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DialTaskImportRequest) =>
      api.post<DialTaskImportResponse>('/api/dial-tasks/import', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: dialTaskKeys.all }),
  });
}
