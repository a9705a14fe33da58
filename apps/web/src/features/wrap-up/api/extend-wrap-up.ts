import type { MyWrapUp } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { myWrapUpKey } from './get-my-wrap-up';

/** `POST /api/agents/me/wrapup/extend`: more wrap-up time. */
export function useExtendWrapUp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (seconds: number) => api.post<MyWrapUp>('/api/agents/me/wrapup/extend', { seconds }),
    onSuccess: (data) => qc.setQueryData(myWrapUpKey, data),
  });
}
