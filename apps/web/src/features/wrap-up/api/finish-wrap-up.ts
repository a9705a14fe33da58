import type { MyWrapUp } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';
import { myWrapUpKey } from './get-my-wrap-up';

/** `POST /api/agents/me/wrapup/done`: end the wrap-up now, ready for the next call. */
export function useFinishWrapUp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<MyWrapUp>('/api/agents/me/wrapup/done'),
    onSuccess: (data) => {
      qc.setQueryData(myWrapUpKey, data);
      void qc.invalidateQueries({ queryKey: liveQueryKeys.agentState });
    },
  });
}
