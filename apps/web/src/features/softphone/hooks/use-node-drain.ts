import { readinessResponseSchema } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import { type DrainAction, drainAction, MOVED_FOR_DRAIN_KEY } from '../lib/node-drain';

/**
 * Follows the drain of the node this desk is signed in to (the `node_drain` live event, and the
 * readiness probe for a desk opened on a node already draining) and moves the desk to another node
 * when no call is up (`drainAction`).
 */
export function useNodeDrain(callUp: boolean): DrainAction {
  const [since, setSince] = useState<number | null>(null);
  useLiveEvent('node_drain', (e) => setSince(e.draining ? e.since : null));
  useEffect(() => {
    let live = true;
    void fetch('/readyz')
      .then(async (res) => readinessResponseSchema.parse(await res.json()))
      .then((ready) => {
        if (live && ready.status === 'draining' && ready.since !== undefined) setSince(ready.since);
      })
      // Not knowing is the same as not draining: the live event still says when it starts.
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  const action = drainAction(since, callUp, sessionStorage.getItem(MOVED_FOR_DRAIN_KEY));
  useEffect(() => {
    if (action !== 'move' || since === null) return;
    sessionStorage.setItem(MOVED_FOR_DRAIN_KEY, String(since));
    window.location.reload();
  }, [action, since]);
  return action;
}
