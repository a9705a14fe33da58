import type { BlindTransferRequest } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callPath, currentCallsKey } from './keys';

/** `POST /api/calls/:id/transfer`: blind transfer; the agent leaves the call at once. */
export function useBlindTransfer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ callId, to }: { callId: string } & BlindTransferRequest) =>
      api.post<unknown>(callPath(callId, 'transfer'), { to } satisfies BlindTransferRequest),
    onSettled: () => qc.invalidateQueries({ queryKey: currentCallsKey }),
  });
}
