import type { Trunk, TrunkInput } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { trunksKey } from './get-trunks';

export function useSaveTrunk() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: Partial<TrunkInput> & { id?: number }) =>
      id ? api.patch<Trunk>(`/api/admin/trunks/${id}`, body) : api.post<Trunk>('/api/admin/trunks', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: trunksKey }),
  });
}
