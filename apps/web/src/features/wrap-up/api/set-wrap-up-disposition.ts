import type { MyWrapUp, WrapUpDisposition } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { myWrapUpKey } from './get-my-wrap-up';

/** `PUT /api/agents/me/wrapup`: the disposition code and note of the call being wrapped up. */
export function useSetWrapUpDisposition() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: WrapUpDisposition) => api.put<MyWrapUp>('/api/agents/me/wrapup', body),
    onSuccess: (data) => qc.setQueryData(myWrapUpKey, data),
  });
}
