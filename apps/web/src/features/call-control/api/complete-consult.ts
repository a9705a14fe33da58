import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callPath, currentCallsKey } from './keys';

/** `POST /api/calls/:id/consult/complete`: the customer joins the target and the agent leaves (consult transfer). */
export function useCompleteConsult() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ callId }: { callId: string }) => api.post<unknown>(callPath(callId, 'consult/complete')),
    onSettled: () => qc.invalidateQueries({ queryKey: currentCallsKey }),
  });
}
