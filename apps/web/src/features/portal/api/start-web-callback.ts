import { newerWebCallback, type StartWebCallback, type WebCallback } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { webCallbackKey, webCallbacksKey } from './web-callback-keys';

/** Starts a web callback: leg A is called first, then the destination. */
export function useStartWebCallback() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: StartWebCallback) => api.post<WebCallback>('/api/portal/web-callbacks', body),
    onSuccess: (wc) => {
      // The live stream may already have brought a newer state of the call than this answer.
      qc.setQueryData<WebCallback>(webCallbackKey(wc.id), (cached) =>
        cached ? newerWebCallback(cached, wc) : wc,
      );
      void qc.invalidateQueries({ queryKey: webCallbacksKey });
    },
  });
}
