import {
  type AgentReport,
  type CallsReport,
  callOutcomeLabels,
  callOutcomes,
  type ServiceLevelReport,
} from '@switchboard/shared';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDate, formatDateTime, formatDuration } from '../../../lib/format';
import { FigureTable } from './report-card';

const outcomeColors: Record<(typeof callOutcomes)[number], string> = {
  answered: '#059669',
  abandoned: '#f59e0b',
  no_answer: '#94a3b8',
  busy: '#dc2626',
  failed: '#475569',
};
const queueColors = ['#2563eb', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d'];

const pct = (v: number | null) => (v === null ? '—' : `${v} %`);

/** A bucket's start as the viewer reads it: the date for days, date and time for hours. */
export function bucketLabel(start: number, bucket: 'hour' | 'day', timeZone: string): string {
  return bucket === 'day' ? formatDate(start, timeZone) : formatDateTime(start, timeZone);
}

const axis = { fontSize: 11, fill: '#475569' };

export function CallsChart({ report, timeZone }: { report: CallsReport; timeZone: string }) {
  const data = report.buckets.map((b) => ({ ...b, name: bucketLabel(b.start, report.bucket, timeZone) }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart accessibilityLayer={false} data={data} margin={{ top: 5, right: 10, bottom: 5, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={axis} minTickGap={16} />
        <YAxis allowDecimals={false} tick={axis} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {callOutcomes.map((o) => (
          <Bar
            key={o}
            dataKey={o}
            name={callOutcomeLabels[o]}
            stackId="calls"
            fill={outcomeColors[o]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function CallsTable({ report, timeZone }: { report: CallsReport; timeZone: string }) {
  return (
    <FigureTable
      caption="Calls by outcome"
      head={['Period', ...callOutcomes.map((o) => callOutcomeLabels[o]), 'Abandon rate']}
      rows={report.buckets.map((b) => [
        bucketLabel(b.start, report.bucket, timeZone),
        ...callOutcomes.map((o) => b[o]),
        pct(b.abandonRate),
      ])}
    />
  );
}

export function AbandonChart({ report, timeZone }: { report: CallsReport; timeZone: string }) {
  const data = report.buckets.map((b) => ({
    name: bucketLabel(b.start, report.bucket, timeZone),
    rate: b.abandonRate,
  }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart accessibilityLayer={false} data={data} margin={{ top: 5, right: 10, bottom: 5, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={axis} minTickGap={16} />
        <YAxis domain={[0, 100]} unit="%" tick={axis} />
        <Tooltip formatter={(v) => pct(v as number | null)} />
        <Line
          dataKey="rate"
          name="Abandon rate"
          stroke="#f59e0b"
          strokeWidth={2}
          connectNulls
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}

export function ServiceLevelChart({ report, timeZone }: { report: ServiceLevelReport; timeZone: string }) {
  const data = report.buckets.map((b, i) => {
    const point: Record<string, string | number | null> = {
      name: bucketLabel(b.start, report.bucket, timeZone),
    };
    for (const q of report.queues) point[`q${q.queueId}`] = q.series[i]!.percent;
    return point;
  });
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart accessibilityLayer={false} data={data} margin={{ top: 5, right: 10, bottom: 5, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={axis} minTickGap={16} />
        <YAxis domain={[0, 100]} unit="%" tick={axis} />
        <Tooltip formatter={(v) => pct(v as number | null)} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {report.queues.map((q, i) => (
          <Line
            key={q.queueId}
            dataKey={`q${q.queueId}`}
            name={`${q.name} (${q.thresholdSeconds} s)`}
            stroke={queueColors[i % queueColors.length]}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
        ))}
        {/* Each queue's target as a dashed line in its colour; queues sharing a target share the line. */}
        {targets(report).map(({ percent, queues, colour }) => (
          <ReferenceLine
            key={percent}
            y={percent}
            stroke={colour}
            strokeDasharray="6 4"
            ifOverflow="extendDomain"
            label={{
              value: `Target ${percent} %${queues.length < report.queues.length ? ` (${queues.join(', ')})` : ''}`,
              position: 'insideBottomRight',
              fontSize: 11,
              fill: '#475569',
            }}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

/** The distinct targets of the report's queues: a queue's own in its colour, a shared one in grey. */
function targets(report: ServiceLevelReport): { percent: number; queues: string[]; colour: string }[] {
  const out = new Map<number, { percent: number; queues: string[]; colour: string }>();
  report.queues.forEach((q, i) => {
    const t = out.get(q.targetPercent);
    if (t) t.queues.push(q.name);
    else
      out.set(q.targetPercent, {
        percent: q.targetPercent,
        queues: [q.name],
        colour: report.queues.length === 1 ? '#64748b' : queueColors[i % queueColors.length]!,
      });
  });
  const all = [...out.values()];
  for (const t of all) if (t.queues.length > 1) t.colour = '#64748b';
  return all;
}

export function ServiceLevelTable({ report, timeZone }: { report: ServiceLevelReport; timeZone: string }) {
  return (
    <FigureTable
      caption="Service level per queue"
      head={[
        'Period',
        ...report.queues.map((q) => `${q.name} (${q.thresholdSeconds} s, target ${q.targetPercent} %)`),
      ]}
      rows={[
        ...report.buckets.map((b, i) => [
          bucketLabel(b.start, report.bucket, timeZone),
          ...report.queues.map((q) => {
            const s = q.series[i]!;
            return s.offered === 0 ? '—' : `${pct(s.percent)} (${s.answeredWithin}/${s.offered})`;
          }),
        ]),
        [
          'Whole period',
          ...report.queues.map((q) =>
            q.total.offered === 0
              ? '—'
              : `${pct(q.total.percent)} (${q.total.answeredWithin}/${q.total.offered})`,
          ),
        ],
      ]}
    />
  );
}

export function AgentsChart({ report }: { report: AgentReport }) {
  const data = report.agents.map((a) => ({
    name: a.name,
    aht: a.averageHandleSeconds,
    occupancy: a.occupancyPercent,
  }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart accessibilityLayer={false} data={data} margin={{ top: 5, right: 10, bottom: 5, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={axis} />
        <YAxis yAxisId="s" unit="s" tick={axis} />
        <YAxis yAxisId="p" orientation="right" domain={[0, 100]} unit="%" tick={axis} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar
          yAxisId="s"
          dataKey="aht"
          name="Average handle time (s)"
          fill="#2563eb"
          isAnimationActive={false}
        />
        <Bar yAxisId="p" dataKey="occupancy" name="Occupancy (%)" fill="#059669" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function AgentsTable({ report }: { report: AgentReport }) {
  return (
    <FigureTable
      caption="Handle time and occupancy per agent"
      head={[
        'Agent',
        'Answered',
        'Talk',
        'Wrap-up',
        'Average handle',
        'Signed in',
        'Paused',
        'Available',
        'Occupancy',
      ]}
      rows={report.agents.map((a) => [
        a.name,
        a.answered,
        formatDuration(a.talkSeconds),
        formatDuration(a.wrapupSeconds),
        a.averageHandleSeconds === null ? '—' : formatDuration(a.averageHandleSeconds),
        formatDuration(a.signedInSeconds),
        formatDuration(a.pausedSeconds),
        formatDuration(a.workedSeconds),
        pct(a.occupancyPercent),
      ])}
    />
  );
}
