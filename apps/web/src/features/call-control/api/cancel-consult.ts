import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callPath, currentCallsKey } from './keys';

/** `POST /api/calls/:id/consult/cancel`: the target is dropped and the agent is back with the customer. */
export function useCancelConsult() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ callId }: { callId: string }) => api.post<unknown>(callPath(callId, 'consult/cancel')),
    onSettled: () => qc.invalidateQueries({ queryKey: currentCallsKey }),
  });
}
