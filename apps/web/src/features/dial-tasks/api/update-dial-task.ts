import type { DialTaskResponse, DialTaskUpdateRequest } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialTaskKeys } from './keys';

export function useUpdateDialTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: DialTaskUpdateRequest & { id: number }) =>
      api.patch<DialTaskResponse>(`/api/dial-tasks/${id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: dialTaskKeys.all }),
  });
}
