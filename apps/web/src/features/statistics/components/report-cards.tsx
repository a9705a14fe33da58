import type { AgentReport, CallsReport, ServiceLevelReport } from '@switchboard/shared';
import { type ReportParams, reportUrl } from '../api/report-params';
import { ReportCard } from './report-card';
import {
  AbandonChart,
  AgentsChart,
  AgentsTable,
  CallsChart,
  CallsTable,
  ServiceLevelChart,
  ServiceLevelTable,
} from './report-charts';

/** The report cards whose data has arrived: calls by outcome, abandon rate, service level, agents. */
export function ReportCards({
  params,
  timeZone,
  calls,
  sl,
  perAgent,
}: {
  params: ReportParams;
  timeZone: string;
  calls: CallsReport | undefined;
  sl: ServiceLevelReport | undefined;
  perAgent: AgentReport | undefined;
}) {
  return (
    <div className="grid gap-5 xl:grid-cols-2">
      {calls ? (
        <>
          <ReportCard
            id="calls"
            title="Calls by outcome"
            summary={`${calls.totals.answered} answered, ${calls.totals.abandoned} abandoned, ${calls.totals.no_answer} not answered, ${calls.totals.busy} busy, ${calls.totals.failed} failed`}
            csvUrl={reportUrl('calls', params, 'csv')}
            chart={<CallsChart report={calls} timeZone={timeZone} />}
            table={<CallsTable report={calls} timeZone={timeZone} />}
          />
          <ReportCard
            id="abandon"
            title="Abandon rate"
            summary={
              calls.totals.abandonRate === null
                ? 'No inbound calls in this period'
                : `${calls.totals.abandonRate} % of ${calls.totals.offered} inbound calls abandoned`
            }
            csvUrl={reportUrl('calls', params, 'csv')}
            chart={<AbandonChart report={calls} timeZone={timeZone} />}
            table={<CallsTable report={calls} timeZone={timeZone} />}
          />
        </>
      ) : null}
      {sl ? (
        <ReportCard
          id="service-level"
          title="Service level per queue"
          summary={
            sl.queues
              .map(
                (q) =>
                  `${q.name}: ${q.total.percent === null ? 'no calls' : `${q.total.percent} %`} (target ${q.targetPercent} %)`,
              )
              .join(', ') || 'No queues'
          }
          csvUrl={reportUrl('service-level', params, 'csv')}
          chart={<ServiceLevelChart report={sl} timeZone={timeZone} />}
          table={<ServiceLevelTable report={sl} timeZone={timeZone} />}
        />
      ) : null}
      {perAgent ? (
        <ReportCard
          id="agents"
          title="Agent handle time and occupancy"
          summary={agentsSummary(perAgent)}
          csvUrl={reportUrl('agents', params, 'csv')}
          chart={<AgentsChart report={perAgent} />}
          table={<AgentsTable report={perAgent} />}
        />
      ) : null}
    </div>
  );
}

function agentsSummary(report: AgentReport): string {
  const answered = report.agents.filter((a) => a.answered > 0).length;
  const signedIn = report.agents.filter((a) => a.signedInSeconds > 0).length;
  return `${answered} agents answered calls and ${signedIn} were signed in during this period`;
}
