import type { ActiveCalls, MuteRequest } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callPath, currentCallsKey } from './keys';

/** `POST /api/calls/:id/mute`: the agent's audio stops reaching the other party. */
export function useMuteCall() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ callId, muted }: { callId: string } & MuteRequest) =>
      api.post<unknown>(callPath(callId, 'mute'), { muted } satisfies MuteRequest),
    onSuccess: (_data, { callId, muted }) => {
      qc.setQueryData<ActiveCalls>(currentCallsKey, (old) =>
        old ? { calls: old.calls.map((c) => (c.callId === callId ? { ...c, muted } : c)) } : old,
      );
      void qc.invalidateQueries({ queryKey: currentCallsKey });
    },
  });
}
