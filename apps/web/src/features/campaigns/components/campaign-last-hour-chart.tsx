import type { CampaignLastHour } from '@switchboard/shared';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock } from '../../../lib/format';

const axis = { fontSize: 11, fill: '#475569' };
const series = [
  { key: 'answered', name: 'Answered', color: '#059669' },
  { key: 'abandoned', name: 'Abandoned', color: '#f59e0b' },
  { key: 'other', name: 'Not reached', color: '#94a3b8' },
] as const;

/** The last hour of a campaign's dials, stacked by what became of them, in the viewer's time zone. */
export function CampaignLastHourChart({ data, timeZone }: { data: CampaignLastHour; timeZone: string }) {
  const rows = data.buckets.map((b) => ({
    name: formatClock(b.start, timeZone),
    answered: b.answered,
    abandoned: b.abandoned,
    other: b.dialled - b.answered - b.abandoned,
  }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart accessibilityLayer={false} data={rows} margin={{ top: 5, right: 10, bottom: 5, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={axis} minTickGap={16} />
        <YAxis allowDecimals={false} tick={axis} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((s) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.name}
            stackId="dials"
            fill={s.color}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

export default CampaignLastHourChart;
