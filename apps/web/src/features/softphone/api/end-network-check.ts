import { api } from '../../../lib/api-client';

/** Closes the network check's leg on the switch. */
export async function endNetworkCheck(id: string): Promise<void> {
  await api.delete(`/api/softphone/network-check/${id}`);
}
