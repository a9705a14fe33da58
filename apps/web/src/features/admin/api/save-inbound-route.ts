import type { InboundRouteInput } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { inboundRoutesKey } from './get-inbound-routes';

export function useSaveInboundRoute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: InboundRouteInput & { id?: number }) =>
      id ? api.put(`/api/admin/inbound-routes/${id}`, body) : api.post('/api/admin/inbound-routes', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: inboundRoutesKey }),
  });
}
