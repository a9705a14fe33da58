import { type SoftphoneIceServers, softphoneIceServersSchema } from '@switchboard/shared';
import { api } from '../../../lib/api-client';

/** This agent's STUN/TURN servers with fresh TURN credentials (when the switch issues short-lived ones). */
export async function getIceServers(): Promise<SoftphoneIceServers> {
  return softphoneIceServersSchema.parse(await api.get<unknown>('/api/softphone/ice-servers'));
}
