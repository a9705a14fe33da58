import { type NetworkCheckStarted, networkCheckStartedSchema } from '@switchboard/shared';
import { api } from '../../../lib/api-client';

/** Opens the network check's WebRTC leg on the switch with the browser's offer. */
export async function startNetworkCheck(offer: string): Promise<NetworkCheckStarted> {
  return networkCheckStartedSchema.parse(await api.post<unknown>('/api/softphone/network-check', { offer }));
}
