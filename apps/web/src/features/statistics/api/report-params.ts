import type { ReportBucket } from '@switchboard/shared';
import { toQueryString } from '../../../lib/query-string';

/** What every report is asked for: the period (epoch ms), the bucket, filters, the viewer's zone. */
export interface ReportParams {
  from: number;
  to: number;
  bucket: ReportBucket;
  queueId?: number | undefined;
  agentId?: number | undefined;
  tz: string;
}

export type ReportName = 'calls' | 'service-level' | 'agents';

export function reportUrl(name: ReportName, params: ReportParams, format: 'json' | 'csv' = 'json'): string {
  return `/api/reports/${name}${toQueryString({ ...params, format: format === 'csv' ? 'csv' : undefined })}`;
}
