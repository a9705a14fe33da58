import { liveQueryKeys } from '../../../lib/live-events/live-invalidation';

/** Built on the live prefix so `call` and `consult` events refresh the viewer's calls. */
export const currentCallsKey = [...liveQueryKeys.currentCalls] as const;
export const transferTargetsKey = (callId: string) =>
  [...liveQueryKeys.agents, 'transfer-targets', callId] as const;

/** `/api/calls/:id` with the ID encoded (call IDs come from the server, but never trust a path). */
export function callPath(callId: string, action: string): string {
  return `/api/calls/${encodeURIComponent(callId)}/${action}`;
}
