import { type NetworkCheckResult, networkCheckResultSchema } from '@switchboard/shared';
import { api } from '../../../lib/api-client';

/** What the switch measured of the audio the browser sent during the network check. */
export async function getNetworkCheck(id: string): Promise<NetworkCheckResult> {
  return networkCheckResultSchema.parse(await api.get<unknown>(`/api/softphone/network-check/${id}`));
}
