import type { DispositionCodeInput, DispositionCodeUpdate } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dispositionsKey } from './get-dispositions';

/** Adds a disposition code, or renames / retires / restores one (with `id`). */
export function useSaveDispositionCode() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ({ id: number } & DispositionCodeUpdate) | DispositionCodeInput) =>
      'id' in body
        ? api.patch(`/api/admin/disposition-codes/${body.id}`, { ...body, id: undefined })
        : api.post('/api/admin/disposition-codes', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: dispositionsKey }),
  });
}
