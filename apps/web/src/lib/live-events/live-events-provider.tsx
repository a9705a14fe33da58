import type { LiveEventType } from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import {
  type LiveConnectionState,
  type LiveEventOf,
  LiveEventsClient,
  liveEventTypes,
} from './live-events-client';
import { invalidationsFor, liveQueryKeys } from './live-invalidation';

const LiveEventsContext = createContext<LiveEventsClient | null>(null);

/**
 * Opens the tab's one live stream while mounted (inside the signed-in shell) and keeps caches fresh.
 * `types` narrows the stream to those events: a display (the wall-screen wallboard) is not a desk.
 */
export function LiveEventsProvider({ children, types }: { children: ReactNode; types?: LiveEventType[] }) {
  const [client] = useState(
    () => new LiveEventsClient(types ? `/api/events?types=${types.join(',')}` : '/api/events'),
  );
  const queryClient = useQueryClient();
  useEffect(() => {
    const offs = liveEventTypes.map((type) =>
      client.on(type, (event) => {
        for (const queryKey of invalidationsFor(event)) void queryClient.invalidateQueries({ queryKey });
      }),
    );
    // A query answered before the stream opened (or while it was down) may predate an event the
    // stream will never carry: refetch everything live-backed once the stream is accepted.
    const offReady = client.onReady(() => {
      for (const queryKey of Object.values(liveQueryKeys)) void queryClient.invalidateQueries({ queryKey });
    });
    client.start();
    return () => {
      offReady();
      for (const off of offs) off();
      client.stop();
    };
  }, [client, queryClient]);
  return <LiveEventsContext.Provider value={client}>{children}</LiveEventsContext.Provider>;
}

function useClient(): LiveEventsClient {
  const client = useContext(LiveEventsContext);
  if (!client) throw new Error('useLiveEvent needs <LiveEventsProvider>');
  return client;
}

/** Calls `handler` for each live event of `type`; the latest handler is used without resubscribing. */
export function useLiveEvent<T extends LiveEventType>(
  type: T,
  handler: (event: LiveEventOf<T>) => void,
): void {
  const client = useClient();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => client.on(type, (e) => ref.current(e)), [client, type]);
}

export function useLiveConnection(): { state: LiveConnectionState; retryNow: () => void } {
  const client = useClient();
  const state = useSyncExternalStore(client.onState, client.getState);
  return { state, retryNow: () => client.retryNow() };
}
