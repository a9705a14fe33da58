import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { pauseReasonsKey } from './get-pause-reasons';

export function useSavePauseReason() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id?: number; name?: string; active?: boolean; sortOrder?: number }) =>
      id ? api.patch(`/api/admin/pause-reasons/${id}`, body) : api.post('/api/admin/pause-reasons', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: pauseReasonsKey }),
  });
}
