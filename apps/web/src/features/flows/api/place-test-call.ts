import type { FlowTestCallResponse } from '@switchboard/shared';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Rings the admin's own extension and runs the saved draft on the call. */
export function usePlaceTestCall(id: number) {
  return useMutation({
    mutationFn: () => api.post<FlowTestCallResponse>(`/api/admin/flows/${id}/test-call`),
  });
}
