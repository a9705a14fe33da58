import type { FlowPublishResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { flowKey } from './get-flow';
import { flowsKey } from './get-flows';

export function usePublishFlow(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<FlowPublishResponse>(`/api/admin/flows/${id}/publish`),
    onSuccess: (res) => {
      qc.setQueryData(flowKey(id), res.flow);
      void qc.invalidateQueries({ queryKey: flowsKey });
    },
  });
}
