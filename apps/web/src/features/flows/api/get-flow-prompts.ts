import type { FlowPromptsResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The built-in prompts a component can play. */
export function useFlowPrompts() {
  return useQuery({
    queryKey: ['flows', 'prompts'],
    queryFn: async () => (await api.get<FlowPromptsResponse>('/api/admin/flow-prompts')).prompts,
    staleTime: 5 * 60_000,
  });
}
