import { type CallsReport, callsReportSchema } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { type ReportParams, reportUrl } from './report-params';

/** Calls per bucket by outcome, and the abandon rate. */
export function useCallsReport(params: ReportParams) {
  return useQuery({
    queryKey: ['reports', 'calls', params],
    queryFn: async (): Promise<CallsReport> =>
      callsReportSchema.parse(await api.get<unknown>(reportUrl('calls', params))),
    placeholderData: keepPreviousData,
  });
}
