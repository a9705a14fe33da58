import type { AgentReport, ReportBucket } from '@switchboard/shared';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { PageHeader } from '../../../components/page-header';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { errorMessage } from '../../../lib/field-errors';
import { browserTimeZone, fromDateTimeInput, startOfDay, toDateTimeInput } from '../../../lib/format';
import { useAgents } from '../../../lib/use-agents';
import { useCurrentUser } from '../../auth/api/get-me';
import { useAgentReport } from '../api/get-agent-report';
import { useCallsReport } from '../api/get-calls-report';
import { useReportQueues } from '../api/get-report-queues';
import { useServiceLevelReport } from '../api/get-service-level-report';
import { type ReportParams, reportUrl } from '../api/report-params';
import { ReportCard } from '../components/report-card';
import {
  AbandonChart,
  AgentsChart,
  AgentsTable,
  CallsChart,
  CallsTable,
  ServiceLevelChart,
  ServiceLevelTable,
} from '../components/report-charts';

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
  const queues = useReportQueues();
  const agents = useAgents();
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
      <form
        aria-label="Report filters"
        className="mb-5 grid grid-cols-2 gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 md:grid-cols-5"
        onSubmit={(e) => e.preventDefault()}
      >
        <TextField
          label="From"
          type="date"
          value={values.from}
          max={values.to}
          onChange={(e) => e.target.value && set('from', e.target.value)}
        />
        <TextField
          label="To"
          type="date"
          value={values.to}
          min={values.from}
          onChange={(e) => e.target.value && set('to', e.target.value)}
        />
        <SelectField label="Per" value={values.bucket} onChange={(e) => set('bucket', e.target.value)}>
          <option value="day">Day</option>
          <option value="hour">Hour</option>
        </SelectField>
        <SelectField
          // A select keeps no choice its options do not have yet: drawn again once they arrive.
          key={queues.data ? 'queue' : 'queue-loading'}
          label="Queue"
          value={values.queue}
          onChange={(e) => set('queue', e.target.value)}
        >
          <option value="">All my queues</option>
          {(queues.data ?? []).map((q) => (
            <option key={q.id} value={q.id}>
              {q.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          key={agents.data ? 'agent' : 'agent-loading'}
          label="Agent"
          value={values.agent}
          onChange={(e) => set('agent', e.target.value)}
        >
          <option value="">All agents</option>
          {(agents.data ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName}
            </option>
          ))}
        </SelectField>
      </form>
      {!params ? <Alert tone="error">Choose a valid period.</Alert> : null}
      {params && error ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      {params ? (
        <div className="grid gap-5 xl:grid-cols-2">
          {calls.data ? (
            <>
              <ReportCard
                id="calls"
                title="Calls by outcome"
                summary={`${calls.data.totals.answered} answered, ${calls.data.totals.abandoned} abandoned, ${calls.data.totals.no_answer} not answered, ${calls.data.totals.busy} busy, ${calls.data.totals.failed} failed`}
                csvUrl={reportUrl('calls', params, 'csv')}
                chart={<CallsChart report={calls.data} timeZone={timeZone} />}
                table={<CallsTable report={calls.data} timeZone={timeZone} />}
              />
              <ReportCard
                id="abandon"
                title="Abandon rate"
                summary={
                  calls.data.totals.abandonRate === null
                    ? 'No inbound calls in this period'
                    : `${calls.data.totals.abandonRate} % of ${calls.data.totals.offered} inbound calls abandoned`
                }
                csvUrl={reportUrl('calls', params, 'csv')}
                chart={<AbandonChart report={calls.data} timeZone={timeZone} />}
                table={<CallsTable report={calls.data} timeZone={timeZone} />}
              />
            </>
          ) : null}
          {sl.data ? (
            <ReportCard
              id="service-level"
              title="Service level per queue"
              summary={
                sl.data.queues
                  .map(
                    (q) =>
                      `${q.name}: ${q.total.percent === null ? 'no calls' : `${q.total.percent} %`} (target ${q.targetPercent} %)`,
                  )
                  .join(', ') || 'No queues'
              }
              csvUrl={reportUrl('service-level', params, 'csv')}
              chart={<ServiceLevelChart report={sl.data} timeZone={timeZone} />}
              table={<ServiceLevelTable report={sl.data} timeZone={timeZone} />}
            />
          ) : null}
          {perAgent.data ? (
            <ReportCard
              id="agents"
              title="Agent handle time and occupancy"
              summary={agentsSummary(perAgent.data)}
              csvUrl={reportUrl('agents', params, 'csv')}
              chart={<AgentsChart report={perAgent.data} />}
              table={<AgentsTable report={perAgent.data} />}
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function agentsSummary(report: AgentReport): string {
  const answered = report.agents.filter((a) => a.answered > 0).length;
  const signedIn = report.agents.filter((a) => a.signedInSeconds > 0).length;
  return `${answered} agents answered calls and ${signedIn} were signed in during this period`;
}
