import { type CallDetail, callDetailSchema } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** One call's legs, steps, times, recording and quality (the call detail dialog). */
export function useCallDetail(cdrId: number | null) {
  return useQuery({
    queryKey: ['cdr', 'detail', cdrId],
    queryFn: async (): Promise<CallDetail> =>
      callDetailSchema.parse(await api.get<unknown>(`/api/cdr/${cdrId}/detail`)),
    enabled: cdrId !== null,
  });
}
