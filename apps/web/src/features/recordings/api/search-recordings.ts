import type { RecordingListResponse, RecordingSearchParams } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toQueryString } from '../../../lib/query-string';

/** Recording List: the 10 most recent by default, or the search. */
export function useRecordings(params: RecordingSearchParams) {
  return useQuery({
    queryKey: ['recordings', params],
    queryFn: () => api.get<RecordingListResponse>(`/api/recordings${toQueryString(params)}`),
    placeholderData: keepPreviousData,
  });
}

export const recordingAudioUrl = (id: number) => `/api/recordings/${id}/audio`;
export const recordingDownloadUrl = (id: number) => `/api/recordings/${id}/download`;
