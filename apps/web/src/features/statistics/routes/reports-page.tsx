import type { ReportBucket } from '@switchboard/shared';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { PageHeader } from '../../../components/page-header';
import { errorMessage } from '../../../lib/field-errors';
import { browserTimeZone, fromDateTimeInput, startOfDay, toDateTimeInput } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { useAgentReport } from '../api/get-agent-report';
import { useCallsReport } from '../api/get-calls-report';
import { useServiceLevelReport } from '../api/get-service-level-report';
import type { ReportParams } from '../api/report-params';
import { ReportCards } from '../components/report-cards';
import { ReportFiltersForm } from '../components/report-filters-form';

const dateOf = (ms: number, tz: string) => toDateTimeInput(ms, tz).slice(0, 10);
const idOf = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

/** The day after `date` (`YYYY-MM-DD`), as calendar arithmetic. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The filters live in the address (`?from=2026-03-01&to=2026-03-07&bucket=day&queue=2&agent=5`), so
 * a report can be bookmarked and shared; dates are whole days in the viewer's zone, `to` included.
 */
function useReportFilters(timeZone: string) {
  const [search, setSearch] = useSearchParams();
  const now = Date.now();
  const from = search.get('from') || dateOf(startOfDay(now, timeZone, 6), timeZone);
  const to = search.get('to') || dateOf(now, timeZone);
  const bucket: ReportBucket = search.get('bucket') === 'hour' ? 'hour' : 'day';
  const queue = search.get('queue') ?? '';
  const agent = search.get('agent') ?? '';
  const set = (key: string, value: string) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (!next.get('from')) next.set('from', from);
        if (!next.get('to')) next.set('to', to);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: false },
    );
  const fromMs = fromDateTimeInput(from, timeZone);
  const toStart = fromDateTimeInput(to, timeZone);
  const toMs = toStart === null ? null : fromDateTimeInput(nextDay(to), timeZone);
  const params: ReportParams | null =
    fromMs === null || toMs === null
      ? null
      : { from: fromMs, to: toMs, bucket, queueId: idOf(queue), agentId: idOf(agent), tz: timeZone };
  return { values: { from, to, bucket, queue, agent }, set, params };
}

const fallbackParams: ReportParams = { from: 0, to: 1, bucket: 'day', tz: 'UTC' };

/** Statistics → Reports: charts of the CDR for supervisors (docs/supervisor.md "Reports"). */
export function ReportsPage() {
  const { data: user } = useCurrentUser();
  const timeZone = user?.timeZone ?? browserTimeZone();
  const { values, set, params } = useReportFilters(timeZone);
  const p = params ?? fallbackParams;
  const calls = useCallsReport(p);
  const sl = useServiceLevelReport(p);
  const perAgent = useAgentReport(p);
  const error = calls.error ?? sl.error ?? perAgent.error;

  return (
    <div>
      <PageHeader
        title="Statistics · Reports"
        description="Calls, service level and agents from the call records, in your time zone."
        actions={
          <Link
            to="/statistics"
            className="inline-flex items-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
          >
            CDR search
          </Link>
        }
      />
      <ReportFiltersForm values={values} set={set} />
      {!params ? <Alert tone="error">Choose a valid period.</Alert> : null}
      {params && error ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      {params ? (
        <ReportCards
          params={params}
          timeZone={timeZone}
          calls={calls.data}
          sl={sl.data}
          perAgent={perAgent.data}
        />
      ) : null}
    </div>
  );
}
