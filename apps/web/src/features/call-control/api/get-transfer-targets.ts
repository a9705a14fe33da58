import type { TransferTargets } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, api } from '../../../lib/api-client';
import { callPath, transferTargetsKey } from './keys';

/**
 * `GET /api/calls/:id/transfer-targets`: who can take the call, grouped as the desk shows them.
 * Under the agents prefix, so state and registration events keep availability fresh while open.
 */
export function useTransferTargets(callId: string, enabled: boolean) {
  return useQuery({
    queryKey: transferTargetsKey(callId),
    queryFn: () => api.get<TransferTargets>(callPath(callId, 'transfer-targets')),
    enabled,
    // 404: the call is over or moved on; asking again cannot help.
    retry: (failures, err) => !(err instanceof ApiRequestError && err.status === 404) && failures < 3,
  });
}
