import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface InboundRoute {
  id: number;
  number: string;
  targetType: 'queue' | 'extension' | 'callback_service' | 'flow';
  targetId: string;
}
export const inboundRoutesKey = ['admin', 'inbound-routes'] as const;
export function useInboundRoutes() {
  return useQuery({
    queryKey: inboundRoutesKey,
    queryFn: async () =>
      (await api.get<{ inboundRoutes: InboundRoute[] }>('/api/admin/inbound-routes')).inboundRoutes,
  });
}
