import { newerWebCallback, type WebCallback, type WebCallbacksResponse } from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { LiveEventsClient } from '../../../lib/live-events/live-events-client';
import { portalAccountKey } from './portal-account';
import { webCallbackKey, webCallbacksKey } from './web-callback-keys';

/**
 * Keeps web callbacks live while the page is open: each change of a leg or of the call arrives on
 * the portal's event stream and replaces the cached call; its end refreshes the history and balance.
 * Returns whether the stream is open (the page shows when live status is paused).
 */
export function usePortalCallbackEvents(): boolean {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const client = new LiveEventsClient('/api/portal/events');
    const off = client.on('web_callback', (e) => {
      const wc = e.webCallback;
      qc.setQueryData<WebCallback>(webCallbackKey(wc.id), (cached) =>
        cached ? newerWebCallback(cached, wc) : wc,
      );
      // The history shows the call too: its row follows the same events.
      qc.setQueriesData<WebCallbacksResponse>({ queryKey: [...webCallbacksKey, 'page'] }, (page) =>
        page
          ? {
              ...page,
              webCallbacks: page.webCallbacks.map((row) =>
                row.id === wc.id ? newerWebCallback(row, wc) : row,
              ),
            }
          : page,
      );
      if (wc.status === 'ended') {
        void qc.invalidateQueries({ queryKey: webCallbacksKey });
        void qc.invalidateQueries({ queryKey: portalAccountKey });
      }
    });
    // Whatever changed while the stream was down (or before it first opened) is fetched again.
    const offState = client.onState(() => {
      const isOpen = client.getState().status === 'open';
      setOpen(isOpen);
      if (isOpen) void qc.invalidateQueries({ queryKey: webCallbacksKey });
    });
    client.start();
    return () => {
      off();
      offState();
      client.stop();
    };
  }, [qc]);
  return open;
}
