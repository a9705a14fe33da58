import type { ActiveCalls, HoldRequest } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callPath, currentCallsKey } from './keys';

/** `POST /api/calls/:id/hold`: the other party hears hold music (`held: false` resumes). */
export function useHoldCall() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ callId, held }: { callId: string } & HoldRequest) =>
      api.post<unknown>(callPath(callId, 'hold'), { held } satisfies HoldRequest),
    onSuccess: (_data, { callId, held }) => {
      qc.setQueryData<ActiveCalls>(currentCallsKey, (old) =>
        old ? { calls: old.calls.map((c) => (c.callId === callId ? { ...c, held } : c)) } : old,
      );
      void qc.invalidateQueries({ queryKey: currentCallsKey });
    },
  });
}
