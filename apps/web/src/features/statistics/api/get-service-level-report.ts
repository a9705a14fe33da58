import { type ServiceLevelReport, serviceLevelReportSchema } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { type ReportParams, reportUrl } from './report-params';

/** Service level per queue per bucket, each queue with its own threshold. */
export function useServiceLevelReport(params: ReportParams) {
  return useQuery({
    queryKey: ['reports', 'service-level', params],
    queryFn: async (): Promise<ServiceLevelReport> =>
      serviceLevelReportSchema.parse(await api.get<unknown>(reportUrl('service-level', params))),
    placeholderData: keepPreviousData,
  });
}
