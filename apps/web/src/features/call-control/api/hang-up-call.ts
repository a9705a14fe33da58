import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callPath, currentCallsKey } from './keys';

/** `POST /api/calls/:id/hangup`: ends the agent's call (a desk phone's own button works too). */
export function useHangUpCall() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ callId }: { callId: string }) => api.post<unknown>(callPath(callId, 'hangup')),
    onSettled: () => qc.invalidateQueries({ queryKey: currentCallsKey }),
  });
}
