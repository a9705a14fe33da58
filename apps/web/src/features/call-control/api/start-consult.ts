import type { ConsultRequest } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callPath, currentCallsKey } from './keys';

/** `POST /api/calls/:id/consult`: the customer goes on hold and the target is called. */
export function useStartConsult() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ callId, to }: { callId: string } & ConsultRequest) =>
      api.post<unknown>(callPath(callId, 'consult'), { to } satisfies ConsultRequest),
    onSettled: () => qc.invalidateQueries({ queryKey: currentCallsKey }),
  });
}
