import { Cell, Pie, PieChart, Tooltip } from 'recharts';
import type { RateSlice } from '../lib/rate-periods';

const colors = { answered: '#059669', notAnswered: '#f59e0b' };
const emptyColor = '#e2e8f0';

function slices(r: RateSlice, period: string) {
  if (r.answered + r.notAnswered === 0) return [{ name: `${period}: no calls`, value: 1, color: emptyColor }];
  // A zero slice would still draw its white stroke as a hairline gap in the ring.
  return [
    { name: `${period} answered`, value: r.answered, color: colors.answered },
    { name: `${period} not answered`, value: r.notAnswered, color: colors.notAnswered },
  ].filter((s) => s.value > 0);
}

/**
 * The desk's "Rate" part: the inner pie is the current month, the outer ring yesterday; answered in green,
 * not answered in amber. Fixed size (recharts draws nothing without one). Loaded lazily.
 */
export default function RatePieChart({ month, yesterday }: { month: RateSlice; yesterday: RateSlice }) {
  return (
    <PieChart width={240} height={240} aria-hidden="true">
      <Pie
        data={slices(month, 'Current month')}
        dataKey="value"
        nameKey="name"
        cx="50%"
        cy="50%"
        outerRadius={70}
        isAnimationActive={false}
        stroke="#fff"
      >
        {slices(month, 'Current month').map((s) => (
          <Cell key={s.name} fill={s.color} />
        ))}
      </Pie>
      <Pie
        data={slices(yesterday, 'Yesterday')}
        dataKey="value"
        nameKey="name"
        cx="50%"
        cy="50%"
        innerRadius={84}
        outerRadius={110}
        isAnimationActive={false}
        stroke="#fff"
      >
        {slices(yesterday, 'Yesterday').map((s) => (
          <Cell key={s.name} fill={s.color} fillOpacity={0.75} />
        ))}
      </Pie>
      <Tooltip
        formatter={(value, name) => (String(name).endsWith('no calls') ? ['0 calls', name] : [value, name])}
      />
    </PieChart>
  );
}
