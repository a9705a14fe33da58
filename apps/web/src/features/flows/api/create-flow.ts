import type { FlowCreateInput, FlowResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { flowsKey } from './get-flows';

export function useCreateFlow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: FlowCreateInput) =>
      (await api.post<FlowResponse>('/api/admin/flows', input)).flow,
    onSuccess: () => qc.invalidateQueries({ queryKey: flowsKey }),
  });
}
