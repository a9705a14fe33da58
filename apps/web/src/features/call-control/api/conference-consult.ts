import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callPath, currentCallsKey } from './keys';

/** `POST /api/calls/:id/consult/conference`: agent, customer and target talk together (three-way). */
export function useConferenceConsult() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ callId }: { callId: string }) => api.post<unknown>(callPath(callId, 'consult/conference')),
    onSettled: () => qc.invalidateQueries({ queryKey: currentCallsKey }),
  });
}
