import type { MyWrapUp } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

/** Under the agent-state key: every `agent_state` event (wrap-up starts or ends) refreshes it. */
export const myWrapUpKey = [...liveQueryKeys.agentState, 'wrap-up'] as const;

/** `GET /api/agents/me/wrapup`: the call being wrapped up, its codes and timer, or null. */
export function useMyWrapUp(enabled: boolean) {
  return useQuery({
    queryKey: myWrapUpKey,
    queryFn: () => api.get<MyWrapUp>('/api/agents/me/wrapup'),
    enabled,
  });
}
