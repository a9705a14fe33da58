import type { FlowResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { flowKey } from './get-flow';

/** Copies a published version into the draft. */
export function useRestoreFlowVersion(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (version: number) =>
      (await api.post<FlowResponse>(`/api/admin/flows/${id}/versions/${version}/restore`)).flow,
    onSuccess: (flow) => qc.setQueryData(flowKey(id), flow),
  });
}
