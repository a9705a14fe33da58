import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialTaskKeys } from './keys';

export function useDeleteDialTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/api/dial-tasks/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: dialTaskKeys.all }),
  });
}
