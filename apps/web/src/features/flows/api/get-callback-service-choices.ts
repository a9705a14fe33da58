import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Callback services a Callback service component can hand calls to (administrators only). */
export function useCallbackServiceChoices(enabled: boolean) {
  return useQuery({
    queryKey: ['flows', 'callback-services'],
    queryFn: async () =>
      (
        await api.get<{ callbackServices: Array<{ id: number; name: string }> }>(
          '/api/admin/callback-services',
        )
      ).callbackServices,
    enabled,
  });
}
