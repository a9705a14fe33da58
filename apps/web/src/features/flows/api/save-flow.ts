import type { FlowResponse, FlowUpdateInput } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { flowKey } from './get-flow';
import { flowsKey } from './get-flows';

/** Saves the draft (name, description, definition); the answer carries its problems. */
export function useSaveFlow(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: FlowUpdateInput) =>
      (await api.put<FlowResponse>(`/api/admin/flows/${id}`, input)).flow,
    onSuccess: (flow) => {
      qc.setQueryData(flowKey(id), flow);
      void qc.invalidateQueries({ queryKey: flowsKey, exact: true });
    },
  });
}
