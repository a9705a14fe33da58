import { type AgentReport, agentReportSchema } from '@switchboard/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { type ReportParams, reportUrl } from './report-params';

/** Per agent: handle time and occupancy over the period. */
export function useAgentReport(params: ReportParams) {
  return useQuery({
    queryKey: ['reports', 'agents', params],
    queryFn: async (): Promise<AgentReport> =>
      agentReportSchema.parse(await api.get<unknown>(reportUrl('agents', params))),
    placeholderData: keepPreviousData,
  });
}
