import { newerWebCallback, type WebCallback } from '@switchboard/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { webCallbackKey } from './web-callback-keys';

/** One web callback; live updates arrive over the portal's event stream (usePortalCallbackEvents). */
export function useWebCallback(id: number | null) {
  const qc = useQueryClient();
  const key = webCallbackKey(id ?? 0);
  return useQuery({
    queryKey: key,
    queryFn: async () => {
      const fetched = await api.get<WebCallback>(`/api/portal/web-callbacks/${id}`);
      // A live event that arrived while this request was on its way is newer: keep it.
      const cached = qc.getQueryData<WebCallback>(key);
      return cached ? newerWebCallback(cached, fetched) : fetched;
    },
    enabled: id !== null,
  });
}
