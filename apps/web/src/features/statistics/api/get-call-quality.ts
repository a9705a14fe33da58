import { type RecordedCallQuality, recordedCallQualitySchema } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The quality figures the switch kept with a finished call (per media leg). */
export function useCallQuality(cdrId: number | null) {
  return useQuery({
    queryKey: ['cdr', 'quality', cdrId],
    queryFn: async (): Promise<RecordedCallQuality> =>
      recordedCallQualitySchema.parse(await api.get<unknown>(`/api/cdr/${cdrId}/quality`)),
    enabled: cdrId !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
