import { useEffect } from 'react';
import { getIceServers } from '../api/get-ice-servers';
import type { SoftphoneEngine } from '../lib/engine-types';
import { renewIceServers } from '../lib/ice-server-renewal';

/**
 * Keeps the running engine's short-lived TURN credentials fresh (the switch's TURN_SECRET), without
 * rebuilding it: a call in progress goes on, the next one uses the renewed credentials.
 */
export function useIceServerRenewal(engine: SoftphoneEngine | null, firstExpiry: number | null): void {
  useEffect(() => {
    if (!engine || firstExpiry === null) return;
    return renewIceServers(firstExpiry, getIceServers, (servers) => engine.setIceServers(servers));
  }, [engine, firstExpiry]);
}
